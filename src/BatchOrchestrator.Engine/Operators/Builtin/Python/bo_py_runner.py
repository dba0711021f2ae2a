"""Runs one py> task try for BatchOrchestrator.

Reads ``$BO_TASK_DIR/task.json`` ({"command": ..., "params": {...}}), runs the command with the
``digdag`` module's ``env`` filled, and writes ``{"store", "export", "reset_store", "subtasks"}``
to ``$BO_OUTPUT``. On an exception it prints the traceback (it goes to the task log), writes
``{"error": {"type", "message", "traceback"}}`` and exits 1; the traceback leaves out the
runner's own frames.

The command is ``module.function``, ``module.Class.method`` (the class is instantiated, its
``__init__`` arguments bound from params too), ``module.Class`` (its ``run`` method), or a path
to a script ending in ``.py`` (run as ``__main__``). Arguments are bound from params by name;
a function taking ``**kwargs`` receives every param.
"""

import importlib
import importlib.util
import inspect
import json
import os
import runpy
import sys
import traceback


def main():
    task_dir = os.environ["BO_TASK_DIR"]
    with open(os.path.join(task_dir, "task.json"), encoding="utf-8") as f:
        task = json.load(f)

    import digdag

    digdag.env.params.update(task.get("params") or {})
    # The project's folder (the working directory) comes before the task folder for user
    # modules; the task folder stays first only for `digdag` itself, which is already imported.
    sys.path.insert(0, os.getcwd())
    try:
        _run(task["command"], digdag.env.params)
    except SystemExit as stop:
        if stop.code not in (None, 0):
            _fail(stop, "SystemExit", "exit status %s" % stop.code)
    except BaseException as error:  # the user's error of any kind is the task's failure
        _fail(error, type(error).__name__, str(error))

    env = digdag.env
    _write(
        {
            "store": env.store_params,
            "export": env.export_params,
            "reset_store": env.reset_store_keys,
            "subtasks": env.subtask_config or None,
        }
    )


def _run(command, params):
    if command.endswith(".py"):
        sys.argv = [command]
        runpy.run_path(command, run_name="__main__")
        return

    parts = command.split(".")
    if len(parts) == 1:
        # Digdag's runner imports "" here and fails with this message; say what to write too.
        raise ValueError("Empty module name: py>: '%s' names no module; write module.function (e.g. tasks.%s in tasks.py)" % (command, command))
    module, rest = _import_longest_prefix(parts, command)
    if not rest:
        raise ValueError("py>: '%s' names a module; name a function, Class.method or Class in it" % command)

    owner = None
    target = module
    for i, name in enumerate(rest):
        if not hasattr(target, name):
            raise AttributeError("'%s' has no attribute '%s'" % (".".join(parts[: len(parts) - len(rest) + i]), name))
        owner, target = target, getattr(target, name)

    if inspect.isclass(target):
        owner, target = target, getattr(target, "run", None)
        if target is None:
            raise AttributeError("class '%s' has no method 'run'" % owner.__qualname__)

    if inspect.isclass(owner):
        instance = owner(**_bind(owner, params, owner.__qualname__))
        method = getattr(instance, target.__name__)
        method(**_bind(method, params, "%s.%s" % (owner.__qualname__, target.__name__)))
    else:
        target(**_bind(target, params, getattr(target, "__qualname__", command)))


def _import_longest_prefix(parts, command):
    """Imports the longest dotted prefix of the command that is a module; the rest are attributes."""
    for end in range(len(parts) - 1, 0, -1):
        name = ".".join(parts[:end])
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:  # a parent package is missing
            found = False
        if found:
            return importlib.import_module(name), parts[end:]
    raise ModuleNotFoundError("py>: no module found for '%s' (looked in %s)" % (command, os.getcwd()))


def _bind(function, params, name):
    """Keyword arguments for ``function`` from params by name; a required one missing is an error."""
    if inspect.isclass(function):
        if function.__init__ is object.__init__:
            return {}
        function = function.__init__
        skip_first = True
    else:
        skip_first = False
    signature = inspect.signature(function)
    arguments = {}
    for index, parameter in enumerate(signature.parameters.values()):
        if skip_first and index == 0:
            continue
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            return dict(params)
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            continue
        if parameter.name in params:
            arguments[parameter.name] = params[parameter.name]
        elif parameter.default is inspect.Parameter.empty:
            raise TypeError("Method '%s' requires parameter '%s' but not set" % (name, parameter.name))
    return arguments


def _fail(error, type_name, message):
    trace = _user_traceback(error)
    sys.stderr.write(trace)
    _write({"error": {"type": type_name, "message": message, "traceback": trace.rstrip("\n")}})
    sys.stderr.flush()
    os._exit(1)


def _user_traceback(error):
    """The traceback as Python prints it, without this runner's frames nor the import machinery's:
    what the user's code did, as if Python had called it directly."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if os.path.abspath(frame.filename) not in _RUNNER_FILES and not frame.filename.startswith("<frozen ")
    ]
    lines = []
    if len(frames) > _MOST_FRAMES:
        # A runaway recursion would otherwise carry thousands of frames into the task's records.
        lines.append("(%d earlier frames left out)\n" % (len(frames) - _MOST_FRAMES))
        frames = frames[-_MOST_FRAMES:]
    if frames:
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_list(frames))
    lines.extend(traceback.format_exception_only(type(error), error))
    return "".join(lines)


_MOST_FRAMES = 30
_RUNNER_FILES = {os.path.abspath(__file__), os.path.abspath(runpy.__file__)}


def _write(result):
    sys.stdout.flush()
    with open(os.environ["BO_OUTPUT"], "w", encoding="utf-8") as f:
        json.dump(result, f, default=str)


if __name__ == "__main__":
    main()
