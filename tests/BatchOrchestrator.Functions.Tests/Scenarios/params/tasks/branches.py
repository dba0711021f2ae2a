import digdag


def store_b(region):
    digdag.env.store({"x": "from_b", "only_b": "b in " + region})


def export_d():
    # Exported params reach this task's subtasks only.
    digdag.env.export({"exported_d": "d"})
    digdag.env.add_subtask({"sh>": "echo \"d child sees ${exported_d}\" >> d.txt"})
