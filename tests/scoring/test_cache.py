"""The solutions a worker keeps: by content hash, least recently used out, within a byte budget."""

import pytest

from forward.scoring import SolutionCache, file_sha256, load_solution

SOLUTION = "id,target,Usage\n1,1,Public\n2,0,Public\n3,1,Private\n4,0,Private\n"


@pytest.fixture
def solution(tmp_path):
    path = tmp_path / "solution.csv"
    path.write_text(SOLUTION)
    return load_solution(path, "auc")


def test_a_solution_is_loaded_once_per_key(solution):
    cache = SolutionCache(10**6)
    calls = []

    def load():
        calls.append(1)
        return solution

    assert cache.solution(("abc", "auc"), load) is solution
    assert cache.solution(("abc", "auc"), load) is solution
    assert len(calls) == 1 and cache.loads == 1
    cache.solution(("abc", "rmse"), load)  # another metric is another entry
    assert len(calls) == 2


def test_the_budget_evicts_the_least_recently_used(solution):
    size = solution.nbytes
    cache = SolutionCache(2 * size)
    cache.put(("a", "auc"), solution)
    cache.put(("b", "auc"), solution)
    assert cache.get(("a", "auc")) is solution  # a is now the most recently used
    cache.put(("c", "auc"), solution)
    assert ("b", "auc") not in cache and ("a", "auc") in cache and ("c", "auc") in cache
    assert cache.size == 2 * size <= cache.budget_bytes


def test_a_solution_larger_than_the_budget_is_not_kept(solution):
    cache = SolutionCache(solution.nbytes - 1)
    assert not cache.put(("a", "auc"), solution)
    assert len(cache) == 0 and cache.size == 0
    assert SolutionCache(0).solution(("a", "auc"), lambda: solution) is solution


def test_the_size_counts_the_columns_and_the_index(solution):
    assert solution.nbytes >= solution.ids.nbytes + solution.targets.nbytes + solution.index.nbytes


def test_the_content_hash_changes_with_the_bytes(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(SOLUTION)
    b.write_text(SOLUTION.replace("4,0,Private", "4,1,Private"))
    assert file_sha256(a) != file_sha256(b)
    assert len(file_sha256(a)) == 64


@pytest.fixture
def larger(tmp_path):
    path = tmp_path / "larger.csv"
    path.write_text(SOLUTION + "".join(f"{i},{i % 2},Private\n" for i in range(5, 50)))
    return load_solution(path, "auc")


def test_putting_a_key_again_replaces_its_entry(solution, larger):
    cache = SolutionCache(10**6)
    assert cache.put(("a", "auc"), solution) is True
    assert cache.put(("a", "auc"), larger) is True
    assert len(cache) == 1 and cache.size == larger.nbytes
    assert cache.get(("a", "auc")) is larger


def test_a_solution_of_exactly_the_budget_is_kept(solution):
    cache = SolutionCache(solution.nbytes)
    assert cache.put(("a", "auc"), solution) is True
    assert cache.size == cache.budget_bytes == solution.nbytes


def test_the_size_stays_the_sum_of_the_entries_through_evictions(solution, larger):
    assert larger.nbytes > solution.nbytes
    cache = SolutionCache(larger.nbytes + solution.nbytes)
    cache.put(("small", "auc"), solution)
    cache.put(("large", "auc"), larger)
    cache.put(("small2", "auc"), solution)  # evicts "small", the least recently used
    assert ("small", "auc") not in cache
    assert cache.size == larger.nbytes + solution.nbytes
    cache.put(("large2", "auc"), larger)  # evicts "large" and no more: "small2" still fits
    assert ("large", "auc") not in cache and ("small2", "auc") in cache and len(cache) == 2
    assert cache.size == larger.nbytes + solution.nbytes


def test_discard_and_clear_give_the_memory_back(solution, larger):
    cache = SolutionCache(10**6)
    cache.put(("a", "auc"), solution)
    cache.put(("b", "auc"), larger)
    cache.discard(("a", "auc"))
    cache.discard(("missing", "auc"))
    assert ("a", "auc") not in cache and cache.size == larger.nbytes
    cache.clear()
    assert len(cache) == 0 and cache.size == 0


def test_every_miss_counts_as_a_load(solution):
    cache = SolutionCache(10**6)
    for key in ("a", "b", "c", "a"):
        cache.solution((key, "auc"), lambda: solution)
    assert cache.loads == 3


def test_a_negative_budget_keeps_nothing(solution):
    cache = SolutionCache(-5)
    assert cache.budget_bytes == 0
    assert not cache.put(("a", "auc"), solution) and cache.size == 0
