"""plans/extract."""
