"""Digdag's Python API for py> tasks run by BatchOrchestrator.

A task's code does ``import digdag`` and uses ``digdag.env``:

- ``env.params``: every param the task sees (a dict).
- ``env.store(dict, **more)``: params for every later task.
- ``env.export(dict, **more)``: params for this task's subtasks.
- ``env.reset_store(keys)``: store params to remove.
- ``env.add_subtask(function, **params)`` or ``env.add_subtask(config_dict, **more)``:
  a child task run after this one (``+subtask0``, ``+subtask1``, ... in order).

The runner fills ``env.params`` before the task runs and reads the rest when it returns.
"""

import json

__all__ = ["env", "Env"]


class Env:
    """What one py> try sees of the workflow, and what it hands back."""

    def __init__(self, params=None):
        self.params = dict(params or {})
        self.store_params = {}
        self.export_params = {}
        self.state_params = {}
        self.reset_store_keys = []
        self.subtask_config = {}

    def store(self, params=None, **more):
        self.store_params.update(params or {}, **more)

    def export(self, params=None, **more):
        self.export_params.update(params or {}, **more)

    def set_state(self, params=None, **more):
        # Accepted for compatibility; a try's state is not carried to the next try here.
        self.state_params.update(params or {}, **more)

    def reset_store(self, keys):
        if isinstance(keys, str):
            keys = [keys]
        self.reset_store_keys.extend(str(key) for key in keys)

    def add_subtask(self, function=None, **params):
        if isinstance(function, dict):
            config = dict(function)
            config.update(params)
        elif function is None:
            config = dict(params)
        elif callable(function):
            config = dict(params)
            config["py>"] = _command_of(function)
        else:
            raise TypeError("add_subtask takes a function or a task config dict, not %s" % type(function).__name__)
        try:
            json.dumps(config)
        except (TypeError, ValueError) as error:
            raise TypeError("Parameters must be serializable using JSON: %s" % error) from None
        self.subtask_config["+subtask%d" % len(self.subtask_config)] = config


def _command_of(function):
    """The py> command that runs ``function`` again: module plus qualified name (Class.method)."""
    qualified = getattr(function, "__qualname__", function.__name__)
    if "<locals>" in qualified or "<lambda>" in qualified:
        raise TypeError("add_subtask needs a module-level function or a method of a module-level class, not %s" % qualified)
    return "%s.%s" % (function.__module__, qualified)


env = Env()
