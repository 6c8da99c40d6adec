import RunbookCore

/// One stream of what a step prints, read up to the marker line the session shell prints after
/// it, in bounded memory and linear time: a step may print gigabytes (a `cat` of a large file,
/// a loop), and keeping it all, or searching all of it for the marker after every read, made a
/// 300 MB output take a minute and 2.3 GB. It keeps the first and the last `limit` bytes and
/// says how many it left out between them.
struct OutputBuffer {
    let limit: Int
    /// The first `limit` bytes, once more than `2 * limit` arrived before the marker.
    private var head: [UInt8] = []
    /// The bytes since `head`, of which only the last `limit` are kept.
    private var pending: [UInt8] = []
    private var leftOut = 0
    /// Where the marker search resumes in `pending`: bytes before it hold no marker start.
    private var searched = 0

    init(limit: Int = 1 << 20) {
        self.limit = limit
    }

    var isEmpty: Bool { head.isEmpty && pending.isEmpty }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        pending += bytes
        guard pending.count > 2 * limit else { return }
        if head.isEmpty {
            head = Array(pending[..<limit])
            pending.removeSubrange(..<limit)
            searched = max(0, searched - limit)
        }
        let drop = pending.count - limit
        leftOut += drop
        pending.removeSubrange(..<drop)
        searched = max(0, searched - drop)
    }

    /// When the marker and the rest of its line have arrived: what came before the marker,
    /// and the text after it on its line. Both are removed from the buffer.
    mutating func take(through marker: [UInt8]) -> (body: [UInt8], line: Substring)? {
        let from = max(0, searched - marker.count)
        guard
            let found = pending.withUnsafeBufferPointer({
                Bytes.find(marker, in: UnsafeBufferPointer(rebasing: $0[from...]))
            })
        else {
            searched = pending.count
            return nil
        }
        let cut = from + found
        guard let newline = pending[(cut + marker.count)...].firstIndex(of: 0x0A) else { return nil }
        let line = Substring(decoding: pending[(cut + marker.count)..<newline], as: UTF8.self)
        return (takeKept(upTo: cut, dropping: newline + 1), line)
    }

    /// Everything kept, for a session that ended without its marker.
    mutating func drain() -> String {
        String(decoding: takeKept(upTo: pending.count, dropping: pending.count), as: UTF8.self)
    }

    /// The head, the note of what was left out, and `pending` up to `end`; then empties the
    /// buffer but for what follows `dropped`.
    private mutating func takeKept(upTo end: Int, dropping dropped: Int) -> [UInt8] {
        var body = head
        if leftOut > 0 { body += Array("\n[runbook: \(leftOut) bytes of output left out]\n".utf8) }
        body += pending[..<end]
        pending.removeSubrange(..<dropped)
        head = []
        leftOut = 0
        searched = 0
        return body
    }
}
