"""The ingest flow on a Dask cluster (prefect-dask): a local cluster of two worker processes does
the extraction, this process the loading, and the store ends up exactly as after a local run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from archive_helpers import contents, make_archive

from flows.ingest.launch import Launch, launch_import
from flows.ingest.run import run_import

pytestmark = [
    pytest.mark.slow,
    # distributed closes its comms and event loops after the test has its result
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """A local Dask cluster of two worker processes, one thread each."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def _tasks_done(dask_worker: object) -> int:
    return dask_worker.state.executed_count  # type: ignore[attr-defined, no-any-return]


def test_ingest_on_a_dask_cluster_stores_what_a_local_run_stores(
    prefect_harness: None, cluster: object, tmp_path: Path
) -> None:
    from distributed import Client

    archive = tmp_path / "archive"
    make_archive(archive, 12)
    local = f"sqlite:///{tmp_path / 'local.db'}"
    on_dask = f"sqlite:///{tmp_path / 'dask.db'}"
    run_import([str(archive)], local, batch_size=2)

    address = cluster.scheduler_address  # type: ignore[attr-defined]
    with Client(address) as client:
        before = client.run(_tasks_done)
        summary = launch_import(
            [str(archive)], on_dask, batch_size=2, launch=Launch(dask_address=address)
        )
        after = client.run(_tasks_done)
    workers_used = [w for w in after if after[w] > before[w]]

    assert (summary.files, summary.ok, summary.failed) == (14, 12, 2)
    assert len(summary.batches) == 7
    assert len(workers_used) == 2  # both worker processes extracted batches
    assert contents(on_dask) == contents(local)
