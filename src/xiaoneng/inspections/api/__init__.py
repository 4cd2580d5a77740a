"""REST API of inspections (issue #14, API.md): plans (+ draw), visits (+ record, findings,
publish, lookback), findings, supervision orders (+ reply, verify), bulletins (+ submit,
approve, return, publish, responses). Reads through ``selectors`` (out of scope = 404);
writes through ``services`` (illegal transition → 409)."""
