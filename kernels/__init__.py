"""CUDA C sources of the GPU kernels, loaded and compiled by tinygrad_ko.backend.kernels."""
