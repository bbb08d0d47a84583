"""The plan templates, one TOML file each; shipped inside the package as mutualplan.sheets_templates."""
