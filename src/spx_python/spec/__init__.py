"""The spec tree: BSP names, the scan of spx/, full paths, context, creating specs, finding the project."""
