"""Documents made as background jobs: RenderJob rows, the render task, the reaper and the worker loop."""
