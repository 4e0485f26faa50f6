"""An optimal one-to-one assignment (Hungarian method) and matching by similarity over it."""

from __future__ import annotations

from collections.abc import Sequence

# Added to a pair's weight in the assignment, scaled by how close the two positions are, so
# that equally similar candidates (repeated boilerplate such as "No gaps identified.") pair
# up in order. Far smaller than any real difference in similarity.
SAME_POSITION_TIE_BREAK = 1e-6


def best_assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Row/column pairs of maximum total weight, one-to-one (Hungarian method, O(n^2 m)).

    Rectangular matrices are fine; every row (or every column, if fewer) is paired.
    """
    if not weights or not weights[0]:
        return []
    rows, cols = len(weights), len(weights[0])
    if rows > cols:
        transposed = [[weights[i][j] for i in range(rows)] for j in range(cols)]
        return sorted((i, j) for j, i in best_assignment(transposed))
    top = max(max(row) for row in weights)
    cost = [[top - w for w in row] for row in weights]  # non-negative; minimise
    return _min_cost_assignment(cost)


def _min_cost_assignment(cost: list[list[float]]) -> list[tuple[int, int]]:
    """Kuhn-Munkres with potentials, for rows <= cols; 1-based internally."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: the row assigned to column j (0: none)
    way = [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0] = row
        col0 = 0
        min_reduced = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[col0] = True
            row0, delta, col1 = owner[col0], inf, 0
            for col in range(1, m + 1):
                if used[col]:
                    continue
                reduced = cost[row0 - 1][col - 1] - u[row0] - v[col]
                if reduced < min_reduced[col]:
                    min_reduced[col], way[col] = reduced, col0
                if min_reduced[col] < delta:
                    delta, col1 = min_reduced[col], col
            for col in range(m + 1):
                if used[col]:
                    u[owner[col]] += delta
                    v[col] -= delta
                else:
                    min_reduced[col] -= delta
            col0 = col1
            if owner[col0] == 0:
                break
        while col0:
            col1 = way[col0]
            owner[col0] = owner[col1]
            col0 = col1
    return sorted((owner[col] - 1, col - 1) for col in range(1, m + 1) if owner[col])


def match_by_similarity(scores: Sequence[Sequence[float]], threshold: float) -> list[tuple[int, int, float]]:
    """Optimal one-to-one pairs whose similarity reaches ``threshold``: (row, col, similarity)."""
    if not scores or not scores[0]:
        return []
    size = max(len(scores), len(scores[0]))
    weights = [
        [(s if s >= threshold else 0.0) + SAME_POSITION_TIE_BREAK * (1 - abs(i - j) / size)
         for j, s in enumerate(row)]
        for i, row in enumerate(scores)
    ]
    return [(i, j, scores[i][j]) for i, j in best_assignment(weights) if scores[i][j] >= threshold]

