#!/usr/bin/env python3
"""Degree and PageRank of innograph's Parquet export on Apache Spark, compared with
`innograph centrality`.

    python3 benches/spark/pagerank.py [--scale 1] [--seed 42] [--keep DIR] [--binary PATH]

It builds innograph (release), generates the calibrated ecosystem at the given scale, imports
it into a fresh database, exports Parquet (`export --format parquet`), then runs real Spark
(pyspark in local mode) on `nodes.parquet` and `edges.parquet`: the full view as innograph
defines it (every node; every edge that is not an attribute edge, undirected, parallel ties
merged, no self-ties), degree as the number of distinct neighbours, and PageRank by power
iteration with NetworkX's conventions (damping 0.85, uniform teleport, dangling nodes' rank
spread uniformly, stop when the L1 change is below N * 1e-10). It prints the largest absolute
difference of each measure against `innograph centrality --algo degree,pagerank`, and the time
of each step, and exits 1 if a difference exceeds 1e-6.

What it needs, installed on first use: pyspark in a venv at target/spark-venv (from PyPI), and
a Java runtime (Debian's openjdk-17-jre-headless, with apt-get when run as root). CI runs this
script only when INNOGRAPH_SPARK=1 is set (.ci/run); the set-up takes minutes and the wheel is
hundreds of megabytes, too much for every run.

The repository's top-level layout is fixed (Cargo.toml, src/, schema/, fixtures/, benches/,
tests/, README.md, .ci/, docs/), so this script lives under benches/ rather than scripts/.
See docs/scale-out.md for the same analyses on a cluster.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(ROOT, "target", "spark-venv")
PYSPARK = "pyspark==4.0.5"
DAMPING = 0.85
TOL = 1e-10
MAX_ITER = 500
LIMIT = 1e-6


def log(message):
    print(f"[spark] {message}", file=sys.stderr, flush=True)


def ensure_java():
    if shutil.which("java"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit("spark: no `java` on PATH and no root to apt-get openjdk-17-jre-headless")
    log("installing Debian's openjdk-17-jre-headless")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "openjdk-17-jre-headless"],
        check=True,
        env=env,
    )


def ensure_pyspark():
    """Re-runs this script in target/spark-venv, with pyspark installed, unless already there."""
    try:
        import pyspark  # noqa: F401

        return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.environ.get("INNOGRAPH_SPARK_VENV") == "1":
        sys.exit("spark: pyspark is still missing inside target/spark-venv")
    if not os.path.exists(python):
        log(f"creating {VENV}")
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    log(f"installing {PYSPARK} into the venv")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", PYSPARK],
        check=True,
    )
    env = dict(os.environ, INNOGRAPH_SPARK_VENV="1")
    os.execve(python, [python, os.path.abspath(__file__)] + sys.argv[1:], env)


def innograph(binary, db, *args):
    return subprocess.run(
        [binary, "--db", db, *args], check=True, capture_output=True, text=True
    ).stdout


def spark_measures(directory):
    """Degree and PageRank of the full view, computed by Spark from the Parquet export."""
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("innograph-pagerank")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    nodes = spark.read.parquet(os.path.join(directory, "nodes.parquet")).select("id").cache()
    edges = spark.read.parquet(os.path.join(directory, "edges.parquet"))
    ties = edges.where(~F.col("attribute")).where(F.col("source") != F.col("target"))
    # Undirected and merged: each pair once per direction.
    arcs = (
        ties.select(F.col("source").alias("src"), F.col("target").alias("dst"))
        .union(ties.select(F.col("target").alias("src"), F.col("source").alias("dst")))
        .distinct()
        .cache()
    )
    n = nodes.count()
    degree = arcs.groupBy("src").count().withColumnRenamed("count", "degree")
    degree = nodes.join(degree, nodes.id == degree.src, "left").select(
        "id", F.coalesce(F.col("degree"), F.lit(0)).alias("degree")
    ).cache()
    out_arcs = arcs.join(degree.withColumnRenamed("id", "src"), "src").cache()
    dangling = degree.where(F.col("degree") == 0).select("id").cache()

    rank = nodes.select("id", F.lit(1.0 / n).alias("rank")).localCheckpoint()
    iterations = 0
    for iterations in range(1, MAX_ITER + 1):
        dangling_sum = (
            rank.join(dangling, "id").agg(F.sum("rank")).first()[0] or 0.0
        )
        contributions = (
            out_arcs.join(rank.withColumnRenamed("id", "src"), "src")
            .select("dst", (F.col("rank") / F.col("degree")).alias("share"))
            .groupBy("dst")
            .agg(F.sum("share").alias("incoming"))
        )
        base = (1.0 - DAMPING) / n + DAMPING * dangling_sum / n
        new_rank = (
            nodes.join(contributions, nodes.id == contributions.dst, "left")
            .select(
                "id",
                (F.lit(base) + DAMPING * F.coalesce(F.col("incoming"), F.lit(0.0))).alias("rank"),
            )
            .localCheckpoint()
        )
        change = (
            new_rank.join(rank.withColumnRenamed("rank", "old"), "id")
            .agg(F.sum(F.abs(F.col("rank") - F.col("old"))))
            .first()[0]
        )
        rank = new_rank
        if change < n * TOL:
            break
    result = {
        row["id"]: (row["degree"], row["rank"])
        for row in degree.join(rank, "id").collect()
    }
    spark.stop()
    return result, iterations


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", help="keep the generated files and database in this folder")
    parser.add_argument(
        "--binary", help="use this innograph binary instead of building one (cargo build --release)"
    )
    args = parser.parse_args()

    # The clock starts before the venv is made (the script re-runs itself inside it).
    started = float(os.environ.get("INNOGRAPH_SPARK_STARTED", time.time()))
    os.environ["INNOGRAPH_SPARK_STARTED"] = str(started)
    ensure_java()
    ensure_pyspark()
    setup = time.time() - started
    log(f"set-up (java, pyspark) took {setup:.1f} s")

    if args.binary:
        binary = os.path.abspath(args.binary)
    else:
        t = time.time()
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "innograph")
        log(f"cargo build --release took {time.time() - t:.1f} s")

    work = args.keep or tempfile.mkdtemp(prefix="innograph-spark-")
    os.makedirs(work, exist_ok=True)
    gen, db, parquet = (os.path.join(work, d) for d in ("gen", "db", "parquet"))
    shutil.rmtree(db, ignore_errors=True)
    t = time.time()
    subprocess.run(
        [binary, "generate", "--scale", str(args.scale), "--seed", str(args.seed), "--out", gen],
        check=True,
        capture_output=True,
    )
    files = sorted(os.path.join(gen, f) for f in os.listdir(gen) if f.endswith(".csv"))
    innograph(binary, db, "init")
    innograph(binary, db, "import", *files)
    innograph(binary, db, "export", "--format", "parquet", "--out", parquet)
    log(f"generate, import, export took {time.time() - t:.1f} s")

    t = time.time()
    rows = json.loads(
        innograph(binary, db, "centrality", "--algo", "degree,pagerank", "--format", "json")
    )
    expected = {r["id"]: (r["degree"], r["pagerank"]) for r in rows}
    log(f"innograph centrality took {time.time() - t:.1f} s")

    t = time.time()
    found, iterations = spark_measures(parquet)
    log(f"Spark degree and PageRank took {time.time() - t:.1f} s ({iterations} iterations)")

    if set(found) != set(expected):
        sys.exit(f"spark: {len(found)} nodes, innograph {len(expected)}")
    degree_diff = max(abs(found[i][0] - expected[i][0]) for i in expected)
    rank_diff = max(abs(found[i][1] - expected[i][1]) for i in expected)
    print(
        json.dumps(
            {
                "nodes": len(expected),
                "iterations": iterations,
                "max_degree_difference": degree_diff,
                "max_pagerank_difference": rank_diff,
                "setup_seconds": round(setup, 1),
                "total_seconds": round(time.time() - started, 1),
            }
        )
    )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    if degree_diff > 0 or rank_diff > LIMIT:
        sys.exit(f"spark: differences above the limit ({degree_diff}, {rank_diff} > {LIMIT})")


if __name__ == "__main__":
    main()
