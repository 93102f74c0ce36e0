# Placeholder until the platform can generate the memory map; replaced below.
