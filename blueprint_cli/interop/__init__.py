"""In and out of the tools designers already use: spreadsheets (CSV, Excel), Mermaid, PlantUML."""
