"""What the commands do, as functions returning data: the only place that chains the steps of
the flow."""
