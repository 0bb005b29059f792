"""Tools that read the graph: the expression parser, drawings (viz) and cost counting."""
