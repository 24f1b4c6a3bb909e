"""Reads an innograph export with an independent reader and prints what it found as JSON.

    python read_exports.py graphml DIR/graph.graphml
    python read_exports.py gexf DIR/graph.gexf
    python read_exports.py parquet DIR

NetworkX reads GraphML and GEXF, pyarrow reads Parquet (tests/requirements.txt pins both).
The Rust end-to-end test (tests/e2e/exports.rs) compares the output with `innograph stats`
and `innograph centrality --format json`; this script only reports, it asserts nothing.
"""

import collections
import json
import math
import sys


def clean(value):
    """JSON has no NaN; report it as null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def networkx_graph(graph):
    kinds = collections.Counter(kind for _, kind in graph.nodes(data="kind"))
    edge_kinds = collections.Counter(kind for *_, kind in graph.edges(data="kind"))
    scores = collections.defaultdict(dict)
    for node, data in graph.nodes(data=True):
        for name in ("pagerank", "community"):
            if name in data:
                scores[name][node] = clean(data[name])
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "directed": graph.is_directed(),
        "node_kinds": kinds,
        "edge_kinds": edge_kinds,
        "scores": scores,
        "node_attributes": {n: {k: clean(v) for k, v in d.items()} for n, d in graph.nodes(data=True)},
    }


def read_graphml(path):
    import networkx as nx

    return networkx_graph(nx.read_graphml(path))


def read_gexf(path):
    import networkx as nx

    return networkx_graph(nx.read_gexf(path))


def read_parquet(directory):
    import os

    import pyarrow.parquet as pq

    nodes = pq.read_table(os.path.join(directory, "nodes.parquet"))
    edges = pq.read_table(os.path.join(directory, "edges.parquet"))
    out = {
        "nodes": nodes.num_rows,
        "edges": edges.num_rows,
        "node_types": {f.name: str(f.type) for f in nodes.schema},
        "edge_types": {f.name: str(f.type) for f in edges.schema},
        "node_kinds": collections.Counter(nodes.column("kind").to_pylist()),
        "edge_kinds": collections.Counter(edges.column("kind").to_pylist()),
        "node_attributes": {row["id"]: {k: clean(v) for k, v in row.items() if v is not None}
                            for row in nodes.to_pylist()},
    }
    scores_path = os.path.join(directory, "scores.parquet")
    if os.path.exists(scores_path):
        scores = pq.read_table(scores_path)
        ids = scores.column("id").to_pylist()
        out["scores"] = {
            name: {i: clean(v) for i, v in zip(ids, scores.column(name).to_pylist()) if v is not None}
            for name in scores.column_names if name != "id"
        }
    return out


def main():
    kind, path = sys.argv[1], sys.argv[2]
    reader = {"graphml": read_graphml, "gexf": read_gexf, "parquet": read_parquet}[kind]
    json.dump(reader(path), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
