"""One loader per family of article formats; ``index.loaders`` picks one by suffix."""
