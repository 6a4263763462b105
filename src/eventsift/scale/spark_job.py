"""``eventsift spark``: the reading pipeline, dedup and story merging as one PySpark job.

    input (JSONL lines or Parquet rows, with file and line number)
      -> per partition: sources.article_from_json + pipeline.reading_stages  (spark_partition.py)
      -> repeated texts: the first in input order is kept; a later one carries its reading (as extract)
      -> syndicated copies: MinHash LSH bands exploded, self-joined on (band, bucket), scored, each
         article pointing at its best earlier match, groups resolved by pointer jumping
      -> events, candidate blocks, the merge rule per block               (spark_stories.py)
      -> OUTPUT/articles, OUTPUT/events, OUTPUT/stories, OUTPUT/rejects   (Parquet; spark_schema.py)

Input order (file path, then line) stands in for the local runner's arrival order wherever the
local result depends on order (which copy comes first, which event starts a story), so the output is
the same as ``eventsift extract`` on the same input, for any number of partitions or executors.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from dataclasses import dataclass
from functools import partial
from typing import Any

# pyspark warns about pandas 3 on import; the job uses no pandas conversion (rows go through Python).
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)

from pyspark import SparkConf, StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

from ..clean.dedup import band_keys, lsh_params
from ..errors import ConfigError
from ..settings import Options
from .partition import InputRow, local_path, read_partition
from .spark_schema import ARTICLES, ARTICLES_READ, EVENTS, EVENTS_IN, REJECTS, REJECTS_READ, STORIES, as_tuple
from .story_blocks import event_rows_of_article, merge_block

__all__ = ["BLOCK_SPLIT_EVENTS", "SparkSummary", "run_spark_job", "spark_session"]

log = logging.getLogger(__name__)

# A candidate block with more events than this is divided by country (spark_stories.py).
BLOCK_SPLIT_EVENTS = 5_000
# Pointer jumping halves every chain of copies per round; 64 rounds outgrow any real chain.
_MAX_ROUNDS = 64
_ORDER = ("input_file", "input_line")
_PARQUET_FIELDS = ("id", "text", "html", "title", "published", "url", "source")
# What a repeated text keeps of its own input (_repeats).
_OWN = ("id", "location", "input_file", "input_line", "input_title", "input_url", "input_source")


@dataclass
class SparkSummary:
    """What a Spark run wrote, for the CLI summary."""

    articles: int
    rejected: int
    repeats: int
    events: int
    stories: int
    copies: int


def spark_session(master: str | None = None, conf: dict[str, str] | None = None) -> SparkSession:
    """A session for the job: on ``master``, else the one spark-submit gave, else ``local[*]``; a
    local master runs the executors' Python on this interpreter."""
    master = master or SparkConf().get("spark.master", None) or "local[*]"
    builder = (SparkSession.builder.appName("eventsift").master(master).config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false"))
    if master.startswith("local"):  # the workers are this machine's: this interpreter, with eventsift
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")  # Spark's INFO and WARN lines drown the summary
    return session


def _filesystem(spark: SparkSession, path: str) -> tuple[Any, Any]:
    """Hadoop's file system and path objects for ``path`` (local, hdfs:, s3a: alike)."""
    jpath = spark.sparkContext._jvm.org.apache.hadoop.fs.Path(path)  # type: ignore[union-attr]
    return jpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), jpath  # type: ignore[union-attr]


def _exists(spark: SparkSession, path: str) -> bool:
    fs, jpath = _filesystem(spark, path)
    return bool(fs.exists(jpath))


def _input_format(spark: SparkSession, path: str, fmt: str) -> str:
    if fmt != "auto":
        if fmt not in ("jsonl", "parquet"):
            raise ConfigError(f"unknown input format {fmt!r}; choose jsonl, parquet or auto")
        return fmt
    if path.rstrip("/").endswith(".parquet"):
        return "parquet"
    fs, jpath = _filesystem(spark, path)
    if fs.exists(jpath) and fs.getFileStatus(jpath).isDirectory():
        names = [str(s.getPath().getName()) for s in fs.listStatus(jpath)]
        if any(n.endswith(".parquet") for n in names):
            return "parquet"
    return "jsonl"


def _numbered(frame: DataFrame) -> DataFrame:
    """Add each row's 1-based line (row) number in its file without reading the file twice in one
    task: a split's rows are consecutive ids, so number = rows in the file's earlier splits + the
    row's place in its split (the per-split counts are a tiny table, broadcast back)."""
    blocks = frame.groupBy("file", "block").agg(F.count(F.lit(1)).alias("rows"), F.min("mid").alias("first"))
    earlier = Window.partitionBy("file").orderBy("block").rowsBetween(Window.unboundedPreceding, -1)
    blocks = blocks.withColumn("offset", F.coalesce(F.sum("rows").over(earlier), F.lit(0)))
    joined = frame.join(F.broadcast(blocks), ["file", "block"])
    return joined.withColumn("number", F.col("offset") + F.col("mid") - F.col("first") + 1)


def read_input(spark: SparkSession, path: str, fmt: str) -> tuple[DataFrame, str]:
    """The input rows with ``file``, ``number`` and either ``value`` (JSONL) or the article fields."""
    kind = _input_format(spark, path, fmt)
    if kind == "jsonl":
        raw = spark.read.text(path)
        columns = [F.col("value")]
    else:
        raw = spark.read.parquet(path)
        columns = [F.col(name) for name in _PARQUET_FIELDS if name in raw.columns]
    frame = raw.select(*columns, F.col("_metadata.file_path").alias("file"),
                       F.col("_metadata.file_block_start").alias("block"),
                       F.monotonically_increasing_id().alias("mid"))
    return _numbered(frame), kind


def _input_row(row: Any, kind: str) -> InputRow:
    data = row.asDict()
    file, number = local_path(data.pop("file")), int(data.pop("number"))
    if kind == "jsonl":
        return InputRow(file, number, line=data["value"])
    return InputRow(file, number, record={k: v for k, v in data.items() if k in _PARQUET_FIELDS})


def _read_rows(rows: Any, kind: str, options: Options, published: str | None) -> Any:
    return read_partition((_input_row(row, kind) for row in rows), options, published)


def _first_by_content(articles: DataFrame) -> DataFrame:
    """One article per content hash, the first in input order (extract skips the later ones)."""
    first = Window.partitionBy("content_hash").orderBy(*_ORDER)
    return articles.withColumn("_rank", F.row_number().over(first)).where("_rank = 1").drop("_rank")


def _band_rows(row: Any, bands: int, rows: int) -> list[tuple[str, int, str]]:
    from ..clean.dedup import LshParams

    return [(row.id, band, bucket) for band, bucket in band_keys(row.minhash, LshParams(bands, rows))]


def syndication_groups(spark: SparkSession, articles: DataFrame, options: Options) -> DataFrame:
    """(id, syndication_group) of every article read to the end: its own id, or the group of its best
    earlier copy (highest estimated Jaccard at or over the threshold; the smaller id on a tie)."""
    params = lsh_params(options.dedup_threshold, options.dedup_num_perm)
    readable = articles.where(F.col("halted").isNull() & F.col("minhash").isNotNull()).select("id", "minhash", *_ORDER)
    bands = spark.createDataFrame(readable.rdd.flatMap(partial(_band_rows, bands=params.bands, rows=params.rows)),
                                  "id string, band int, bucket string")
    a, b = bands.alias("a"), bands.alias("b")
    pairs = a.join(b, ["band", "bucket"]).where(F.col("a.id") != F.col("b.id")).select(
        F.col("a.id").alias("earlier"), F.col("b.id").alias("later")).distinct()
    e, l = readable.alias("e"), readable.alias("l")
    scored = (pairs.join(e, F.col("earlier") == F.col("e.id")).join(l, F.col("later") == F.col("l.id"))
              .where(_before(F.col("e.input_file"), F.col("e.input_line"), F.col("l.input_file"), F.col("l.input_line")))
              .select("earlier", "later", _agreement(F.col("e.minhash"), F.col("l.minhash")).alias("score"))
              .where(F.col("score") >= options.dedup_threshold))
    best = Window.partitionBy("later").orderBy(F.col("score").desc(), F.col("earlier"))
    parents = (scored.withColumn("_rank", F.row_number().over(best)).where("_rank = 1")
               .select(F.col("later").alias("id"), F.col("earlier").alias("parent")))
    roots = _roots(parents)
    return (readable.select("id").join(roots, "id", "left")
            .select("id", F.coalesce("parent", "id").alias("syndication_group")))


def _before(file_a: Column, line_a: Column, file_b: Column, line_b: Column) -> Column:
    """Input order: (file, line) of a before that of b."""
    return (file_a < file_b) | ((file_a == file_b) & (line_a < line_b))


def _agreement(left: Column, right: Column) -> Column:
    """dedup.estimated_jaccard in SQL: the share of equal MinHash values."""
    same = F.zip_with(left, right, lambda x, y: F.when(x == y, 1).otherwise(0))
    return F.aggregate(same, F.lit(0), lambda acc, v: acc + v) / F.size(left)


def _roots(parents: DataFrame) -> DataFrame:
    """Follow each article's parent to the first article of its chain (pointer jumping)."""
    current = parents.localCheckpoint()
    for _ in range(_MAX_ROUNDS):
        up = current.alias("c").join(current.alias("p"), F.col("c.parent") == F.col("p.id"), "left")
        if up.where(F.col("p.parent").isNotNull()).limit(1).count() == 0:
            return current
        current = up.select(F.col("c.id").alias("id"),
                            F.coalesce(F.col("p.parent"), F.col("c.parent")).alias("parent")).localCheckpoint()
    raise RuntimeError("syndicated copies chain deeper than pointer jumping allows")  # pragma: no cover


def _blocks(events: DataFrame) -> DataFrame:
    """(id, block) per event: type + a run of overlapping reaches; a long run also by country."""
    order = Window.partitionBy("acled_event_type").orderBy("reach_low", "id")
    before = order.rowsBetween(Window.unboundedPreceding, -1)
    keys = events.select("id", "acled_event_type", "country", "reach_low", "reach_high")
    dated = keys.where(F.col("reach_low").isNotNull())
    starts = dated.withColumn("_prev", F.max("reach_high").over(before)).withColumn(
        "_start", F.when(F.col("_prev").isNull() | (F.col("reach_low") > F.col("_prev")), 1).otherwise(0))
    runs = starts.withColumn("_run", F.sum("_start").over(order.rowsBetween(Window.unboundedPreceding, 0)))
    sizes = runs.groupBy("acled_event_type", "_run").agg(F.count(F.lit(1)).alias("_size"))
    runs = runs.join(sizes, ["acled_event_type", "_run"])
    run_key = F.concat_ws("|", F.col("acled_event_type"), F.col("_run").cast("string"))
    split = F.concat_ws("|", run_key, F.coalesce(F.col("country"), F.lit("?")))
    dated_blocks = runs.select("id", F.when(F.col("_size") > BLOCK_SPLIT_EVENTS, split).otherwise(run_key).alias("block"))
    undated = keys.where(F.col("reach_low").isNull()).select("id", F.concat(F.lit("undated|"), "id").alias("block"))
    return dated_blocks.unionByName(undated)


def _merge_partition(pairs: Any) -> Any:
    for _key, rows in pairs:
        yield from merge_block(rows)


def _write(frame: DataFrame, path: str, overwrite: bool) -> None:
    frame.write.mode("overwrite" if overwrite else "errorifexists").parquet(path)


def run_spark_job(spark: SparkSession, source: str, output: str, options: Options, *, fmt: str = "auto",
                  published: str | None = None, partitions: int | None = None,
                  overwrite: bool = False) -> SparkSummary:
    """Read, code, group copies and merge stories; write the four Parquet outputs under ``output``."""
    if not overwrite and _exists(spark, output):  # before the reading, not after it
        raise ConfigError(f"{output} exists already; pass --overwrite to replace it")
    parts = partitions or max(2, spark.sparkContext.defaultParallelism * 2)
    spark.conf.set("spark.sql.shuffle.partitions", str(parts))
    frame, kind = read_input(spark, source, fmt)
    read = (frame.repartition(parts).rdd
            .mapPartitions(partial(_read_rows, kind=kind, options=options, published=published))
            .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        return _finish(spark, read, output, options, overwrite)
    finally:
        read.unpersist()


def _finish(spark: SparkSession, read: Any, output: str, options: Options, overwrite: bool) -> SparkSummary:
    rejects = _once_per_text(_frame(spark, read, "reject", REJECTS_READ)).select(*REJECTS.names)
    ranked = _frame(spark, read, "article", ARTICLES_READ).withColumn(
        "_rank", F.row_number().over(Window.partitionBy("content_hash").orderBy(*_ORDER)))
    kept = ranked.where("_rank = 1").drop("_rank", "syndication_group").persist(StorageLevel.MEMORY_AND_DISK)
    firsts = kept.join(syndication_groups(spark, kept, options), "id", "left").persist(StorageLevel.MEMORY_AND_DISK)
    articles = firsts.select(*ARTICLES.names).unionByName(_repeats(ranked.where("_rank > 1"), firsts))
    events_in = spark.createDataFrame(
        firsts.rdd.map(lambda row: row.asDict()).flatMap(event_rows_of_article).map(lambda r: as_tuple(EVENTS_IN, r)),
        EVENTS_IN)
    keyed = events_in.join(_blocks(events_in), "id")
    merged = (keyed.rdd.map(lambda row: (row.block, {k: v for k, v in row.asDict().items() if k != "block"}))
              .groupByKey().mapPartitions(_merge_partition).persist(StorageLevel.MEMORY_AND_DISK))
    events = _frame(spark, merged, "event", EVENTS).drop("reach_low", "reach_high")
    try:
        # Rows sorted within each file, not across files: a total order would cost a sampling job per part.
        _write(articles.sortWithinPartitions(*_ORDER), f"{output}/articles", overwrite)
        _write(events.sortWithinPartitions(*_ORDER, "event_index"), f"{output}/events", overwrite)
        _write(_frame(spark, merged, "story", STORIES).sortWithinPartitions("id"), f"{output}/stories", overwrite)
        _write(rejects.sortWithinPartitions(*_ORDER), f"{output}/rejects", overwrite)
        return _summary(spark, output)
    finally:
        for cached in (merged, firsts, kept):
            cached.unpersist()


def _once_per_text(rejects: DataFrame) -> DataFrame:
    """A text that failed a stage is one reject, at its first input (extract counts it once)."""
    first = Window.partitionBy("content_hash").orderBy(*_ORDER)
    ranked = rejects.withColumn("_rank", F.when(F.col("content_hash").isNull(), 1).otherwise(F.row_number().over(first)))
    return ranked.where("_rank = 1").drop("_rank")


def _frame(spark: SparkSession, tagged: Any, tag: str, schema: StructType) -> DataFrame:
    """The rows of one tag ("article", "reject", "event", "story") of a tagged RDD, as a DataFrame."""
    return spark.createDataFrame(tagged.filter(lambda kv: kv[0] == tag).map(lambda kv: as_tuple(schema, kv[1])), schema)


def _repeats(repeats: DataFrame, firsts: DataFrame) -> DataFrame:
    """A text met again later in the input: the first one's reading under the repeat's own id,
    location and input order, with the title, url and source the repeat's input gave, if any
    (what ``eventsift extract`` writes for it)."""
    own = repeats.select("content_hash", *(F.col(name).alias(f"_own_{name}") for name in _OWN))
    joined = own.join(firsts, "content_hash")
    given = {name: F.coalesce(F.col(f"_own_input_{name}"), F.col(name)) for name in ("title", "url", "source")}
    fields = {**{name: F.col(f"_own_{name}") for name in ("id", "location", "input_file", "input_line")}, **given,
              "repeat_of": F.col("id")}
    return joined.select(*(fields.get(name, F.col(name)).alias(name) for name in ARTICLES.names))


def _summary(spark: SparkSession, output: str) -> SparkSummary:
    """Counts of what was written, read back from the output (one job per part)."""
    one = F.lit(1)
    articles = spark.read.parquet(f"{output}/articles").agg(
        F.count(one).alias("articles"), F.count("repeat_of").alias("repeats"),
        F.sum(F.when(F.col("syndication_group") != F.col("id"), 1).otherwise(0)).alias("copies")).collect()[0]
    return SparkSummary(
        articles=int(articles["articles"]), repeats=int(articles["repeats"]), copies=int(articles["copies"] or 0),
        rejected=spark.read.parquet(f"{output}/rejects").count(),
        events=spark.read.parquet(f"{output}/events").count(),
        stories=spark.read.parquet(f"{output}/stories").count(),
    )
