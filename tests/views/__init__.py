"""What the commands print and render: status, the tracker (also in a real browser)."""
