-- Neovim's own LSP client against `hplint server`, headless:
--   HPLINT_PYTHON=python HPLINT_OUT=out.txt nvim --headless -u NONE -c "luafile neovim.lua" file.py
-- Writes what the editor saw to HPLINT_OUT: diagnostics, code actions, hover,
-- the line after the quick fix, and the diagnostics left after it.
-- Uses vim.lsp.start_client / buf_attach_client, which Neovim 0.7 and later all have.
local out = {}
local function say(s) table.insert(out, s) end
local id = vim.lsp.start_client({
  name = "hplint",
  cmd = { os.getenv("HPLINT_PYTHON"), "-m", "hplint", "server" },
  root_dir = vim.fn.getcwd(),
})
vim.lsp.buf_attach_client(0, id)
vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local first = vim.diagnostic.get(0)[1]
for _, d in ipairs(vim.diagnostic.get(0)) do
  say(string.format("diagnostic %s %d:%d-%d", d.code or d.user_data.lsp.code, d.lnum, d.col, d.end_col))
end
if first then
  vim.api.nvim_win_set_cursor(0, { first.lnum + 1, first.col + 1 })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics() }
  local chosen
  for _, r in pairs(vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 60000) or {}) do
    for _, a in ipairs(r.result or {}) do
      say("action " .. a.title)
      if a.isPreferred and not chosen then chosen = a end
    end
  end
  for _, r in pairs(vim.lsp.buf_request_sync(0, "textDocument/hover", vim.lsp.util.make_position_params(), 60000) or {}) do
    if r.result then say("hover " .. vim.split(r.result.contents.value, "\n")[1]) end
  end
  if chosen then
    vim.lsp.util.apply_workspace_edit(chosen.edit, "utf-16")
    say("fixed " .. vim.api.nvim_buf_get_lines(0, first.lnum, first.lnum + 1, false)[1])
    vim.wait(60000, function() return #vim.diagnostic.get(0) == 0 end, 50)
    say("left " .. #vim.diagnostic.get(0))
  end
end
vim.lsp.stop_client(id)
vim.wait(10000, function() return vim.lsp.get_client_by_id(id) == nil end, 50)
vim.fn.writefile(out, os.getenv("HPLINT_OUT"))
vim.cmd("qa!")
