"""The collaboration network: the graph model, an analysed view, its metrics, drawing and export."""
