from hplint.frontends.cli import main

raise SystemExit(main())
