"""REST API of the evaluations app (issue #15): surveys, evaluation rounds, ethics files and the
public survey endpoint. Reads go through ``selectors`` (out of scope = 404), writes through
``services`` (illegal transition or a spent link = 409)."""
