"""SQLite's writers of one process take turns in the order they came."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import sqlalchemy as sa

from inset.db import WRITE, create_db_engine, request_threads
from inset.sqlite import WriterQueue


def _wait_until_queued(queue: WriterQueue, waiting: int) -> None:
    deadline = time.monotonic() + 10
    while queue.waiting != waiting:
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_the_write_lock_goes_to_the_longest_waiting_writer() -> None:
    queue = WriterQueue()
    assert queue.acquire(1)
    order: list[int] = []

    def writer(n: int) -> None:
        assert queue.acquire(10)
        order.append(n)
        queue.release()

    threads = []
    for n in range(5):
        thread = threading.Thread(target=writer, args=(n,))
        thread.start()
        threads.append(thread)
        _wait_until_queued(queue, n + 1)  # in the queue before the next one comes
    queue.release()
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2, 3, 4]


def test_a_writer_that_waits_too_long_gives_up_and_leaves_the_queue() -> None:
    queue = WriterQueue()
    assert queue.acquire(1)
    assert not queue.acquire(0.05)
    assert queue.waiting == 0
    queue.release()
    assert queue.acquire(0.05)


def test_many_threads_writing_at_once_all_commit(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(30):
                with engine.connect().execution_options(**WRITE) as conn, conn.begin():
                    conn.execute(sa.text("INSERT INTO t VALUES (:n)"), {"n": n * 100 + i})
                    time.sleep(0.001)  # hold the lock a while, as a real change does
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM t")) == 8 * 30
    engine.dispose()


def test_a_failed_write_hands_the_turn_on(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'f.db'}")
    try:
        with engine.connect().execution_options(**WRITE) as conn, conn.begin():
            conn.exec_driver_sql("SELECT no_such_function()")
    except sa.exc.OperationalError:
        pass
    with engine.connect().execution_options(**WRITE) as conn, conn.begin():
        conn.exec_driver_sql("CREATE TABLE ok (n INTEGER)")
    engine.dispose()


def test_a_database_file_is_served_by_a_pool_of_four_connections(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'p.db'}")
    assert isinstance(engine.pool, sa.QueuePool)
    assert engine.pool.size() == request_threads(engine) == 4
    engine.dispose()


def test_a_database_in_memory_keeps_its_one_connection_a_thread() -> None:
    for url in ("sqlite://", "sqlite:///:memory:"):
        engine = create_db_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
        with engine.connect() as conn:  # the same database: the table is there
            assert conn.scalar(sa.text("SELECT count(*) FROM t")) == 0
        assert request_threads(engine) is None
        engine.dispose()


def test_postgresql_keeps_the_default_number_of_threads() -> None:
    engine = create_db_engine("postgresql://nobody@127.0.0.1:1/none")  # never connected
    assert request_threads(engine) is None
