/// A fixed set of short words looked up by their bytes, with a binary search over one sorted
/// text: no String hashing (which normalises Unicode first) and no set of thousands of strings
/// built at start-up. Held as plain pointers that live as long as the process: every core
/// looks words up at once, and a shared array or string would be retained and released on each
/// lookup, the cores contending for its reference count.
package struct SortedWords: @unchecked Sendable {
    private let text: UnsafeBufferPointer<UInt8>
    /// Where each word starts, and one past the end of the last as if a newline followed it.
    private let starts: UnsafeBufferPointer<Int>

    /// `lines`: one word a line, sorted by bytes (LC_ALL=C).
    package init(sortedLines lines: String) {
        let bytes = Array(lines.utf8)
        let text = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = text.initialize(from: bytes)
        var starts = [0]
        var index = 0
        while let newline = Bytes.offset(of: 0x0A, in: UnsafeBufferPointer(text), from: index) {
            starts.append(newline + 1)
            index = newline + 1
        }
        starts.append(bytes.count + 1)
        let table = UnsafeMutableBufferPointer<Int>.allocate(capacity: starts.count)
        _ = table.initialize(from: starts)
        self.text = UnsafeBufferPointer(text)
        self.starts = UnsafeBufferPointer(table)
    }

    package init(_ words: [String]) {
        self.init(sortedLines: words.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: "\n"))
    }

    package func contains(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high) / 2
            let order = Self.compare(
                UnsafeBufferPointer(rebasing: text[starts[middle]..<(starts[middle + 1] - 1)]), word)
            if order < 0 {
                low = middle + 1
            } else if order > 0 {
                high = middle
            } else {
                return true
            }
        }
        return false
    }

    /// Negative, zero or positive as `a` sorts before, with or after `b`, by bytes.
    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        let common = min(a.count, b.count)
        while index < common {
            if a[index] != b[index] { return Int(a[index]) - Int(b[index]) }
            index += 1
        }
        return a.count - b.count
    }
}
