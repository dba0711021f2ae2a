import digdag


def store_b(region):
    digdag.env.store({"x": "from_b", "only_b": "b in " + region})
