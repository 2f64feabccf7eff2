from hplint.verify.cli import main

if __name__ == "__main__":  # worker processes re-import this module
    raise SystemExit(main())
