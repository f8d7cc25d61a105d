"""`built_once`: the composition root's services and repositories, built on first use, once."""

import threading
import time

from csms.built_once import Lazy, built_once


class Counted(Lazy):
    def __init__(self) -> None:
        super().__init__()
        self.builds = 0

    @built_once
    def slow(self) -> object:
        self.builds += 1
        time.sleep(0.05)  # long enough for every thread to ask before the first build ends
        return object()

    @built_once
    def needs_slow(self) -> tuple[object, object]:
        return self.slow, object()


def test_threads_asking_at_once_get_the_one_value_built_once() -> None:
    counted = Counted()
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(counted.slow)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert counted.builds == 1
    assert len(seen) == 8
    assert all(value is seen[0] for value in seen)


def test_a_value_can_be_built_from_another() -> None:
    counted = Counted()

    slow, _ = counted.needs_slow

    assert slow is counted.slow
    assert counted.needs_slow is counted.needs_slow
    assert counted.builds == 1


def test_each_instance_builds_its_own() -> None:
    first, second = Counted(), Counted()

    assert first.slow is not second.slow
