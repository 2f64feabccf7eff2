;;; eglot.el --- Emacs's eglot against `hplint server', in batch mode
;;   HPLINT_PYTHON=python HPLINT_OUT=out.txt emacs --batch -Q -l eglot.el file.py
;; Writes what the editor saw to HPLINT_OUT: diagnostics, hover, code actions,
;; the line after the preferred quick fix, and the diagnostics left after it.
;; eglot is built in from Emacs 29; Debian's elpa-eglot serves Emacs 28.
(dolist (dir (and (file-directory-p "/usr/share/emacs/site-lisp/elpa")
                  (directory-files "/usr/share/emacs/site-lisp/elpa" t "^[a-z]")))
  (add-to-list 'load-path dir))
(require 'eglot)
(add-to-list 'eglot-server-programs
             `((python-mode python-ts-mode) . (,(getenv "HPLINT_PYTHON") "-m" "hplint" "server")))
(defvar hplint-seen nil)
(defun hplint-say (fmt &rest args) (push (apply #'format fmt args) hplint-seen))
(defun hplint-wait (done seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall done)) (< (float-time) deadline))
      (eglot--signal-textDocument/didChange)  ; batch Emacs is never idle, so send edits now
      (flymake-start)
      (accept-process-output nil 0.1))))

(find-file (car command-line-args-left))
(python-mode)
(apply #'eglot (eglot--guess-contact))
(hplint-wait #'flymake-diagnostics 120)
(let ((first (car (flymake-diagnostics))))
  (dolist (d (flymake-diagnostics))
    (hplint-say "diagnostic %d %s" (line-number-at-pos (flymake-diagnostic-beg d)) (flymake-diagnostic-text d)))
  (when first
    (goto-char (+ (flymake-diagnostic-beg first) 2))
    (let ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams))))
      (hplint-say "hover %s" (car (split-string (plist-get (plist-get hover :contents) :value) "\n"))))
    (let* ((actions (jsonrpc-request (eglot-current-server) :textDocument/codeAction
                                     (list :textDocument (eglot--TextDocumentIdentifier)
                                           :range (list :start (eglot--pos-to-lsp-position (line-beginning-position))
                                                        :end (eglot--pos-to-lsp-position (line-end-position)))
                                           :context (list :diagnostics []))))
           (fix (seq-find (lambda (a) (plist-get a :isPreferred)) actions)))
      (seq-doseq (a actions) (hplint-say "action %s" (plist-get a :title)))
      (when fix
        (eglot--apply-workspace-edit (plist-get fix :edit) nil)
        (hplint-say "fixed %s" (buffer-substring (line-beginning-position) (line-end-position)))
        (hplint-wait (lambda () (null (flymake-diagnostics))) 120)
        (hplint-say "left %d" (length (flymake-diagnostics)))))))
(eglot-shutdown (eglot-current-server))
(with-temp-file (getenv "HPLINT_OUT")
  (insert (mapconcat #'identity (reverse hplint-seen) "\n") "\n"))
(set-buffer-modified-p nil)
(kill-emacs 0)
