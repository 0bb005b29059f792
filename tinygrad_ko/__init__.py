"""tinygrad_ko: a readable autodiff engine for teaching."""
