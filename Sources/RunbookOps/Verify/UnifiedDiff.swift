import RunbookCore

/// A unified diff of two short texts (documented versus actual output), for reports.
enum UnifiedDiff {
    /// Larger inputs are summarised instead: the quadratic LCS table would not pay off for
    /// output nobody reads line by line.
    static let maximumLines = 2000

    static func lines(
        expected: [Substring], actual: [Substring], context: Int = 3,
        labels: (expected: String, actual: String) = ("documented", "actual")
    ) -> String {
        guard expected.count <= maximumLines, actual.count <= maximumLines else {
            return "--- \(labels.expected) (\(expected.count) lines)\n+++ \(labels.actual) (\(actual.count) lines)\n"
        }
        // lcs[i][j]: length of the longest common subsequence of expected[i...] and actual[j...].
        let n = expected.count, m = actual.count
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = expected[i] == actual[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        enum Edit { case same(Substring), removed(Substring), added(Substring) }
        var edits: [Edit] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, expected[i] == actual[j] {
                edits.append(.same(expected[i])); i += 1; j += 1
            } else if j < m, i == n || lcs[i][j + 1] >= lcs[i + 1][j] {
                edits.append(.added(actual[j])); j += 1
            } else {
                edits.append(.removed(expected[i])); i += 1
            }
        }
        var out = "--- \(labels.expected)\n+++ \(labels.actual)\n"
        let changed = edits.indices.filter { if case .same = edits[$0] { false } else { true } }
        var shown = Set<Int>()
        for index in changed {
            for k in max(0, index - context)...min(edits.count - 1, index + context) { shown.insert(k) }
        }
        var previous = -2
        for index in shown.sorted() {
            if index != previous + 1 { out += "@@\n" }
            switch edits[index] {
            case .same(let line): out += " \(line)\n"
            case .removed(let line): out += "-\(line)\n"
            case .added(let line): out += "+\(line)\n"
            }
            previous = index
        }
        return out
    }
}
