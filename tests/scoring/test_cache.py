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
