"""Tools that read the graph: expression parser, drawings, cost counting."""
