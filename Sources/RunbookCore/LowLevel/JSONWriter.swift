/// Writes JSON straight into a byte buffer, objects keeping the order their members are written
/// in, so documents read like the schema (`schema`, `file`, `title`, `steps`) and golden files
/// stay stable. No intermediate tree: a runbook of 100,000 steps is written without building
/// one value per field first.
///
/// The buffer is a raw allocation the writer owns (hence non-copyable): `parse --format json`
/// writes tens of megabytes a byte or a key at a time, and an Array's uniqueness and capacity
/// checks on every append cost more than the copying itself.
public struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Bit n: the container open at depth n has a member already, so a comma is due. A bit set
    /// rather than an array: this is touched for every value written.
    private var members: UInt64 = 0
    private var depth = 0

    public init(capacity: Int = 0) {
        self.capacity = max(capacity, 256)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// The JSON written so far.
    public var bytes: [UInt8] {
        withBytes { Array($0) }
    }

    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Hands the buffer over without copying it: a chunk of a large document is megabytes.
    consuming func finish() -> JSONBytes {
        let bytes = JSONBytes(base: base, count: count)
        discard self
        return bytes
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the current object; the value follows. Member names are literals
    /// of our schema, so they are written as they are, without escaping.
    @inline(__always)
    public mutating func key(_ name: StaticString) {
        separate()
        append(UInt8(ascii: "\""))
        append(name)
        append("\":")
        members &= ~(1 << (depth - 1))
    }

    @inline(__always)
    public mutating func string(_ value: String?) {
        separate()
        if let value { quote(value) } else { null() }
    }

    @inline(__always)
    public mutating func int(_ value: Int?) {
        separate()
        if let value { digits(value) } else { null() }
    }

    private mutating func digits(_ value: Int) {
        reserve(20)
        if value < 0 { append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            append(UnsafeBufferPointer(rebasing: buffer.bindMemory(to: UInt8.self)[(20 - count)...]))
        }
    }

    public mutating func bool(_ value: Bool) {
        separate()
        append(value ? "true" : "false")
    }

    public mutating func nullValue() {
        separate()
        null()
    }

    /// Appends JSON text that the caller has laid out itself (separators between chunks).
    public mutating func raw(_ text: StaticString) {
        append(text)
    }

    /// A member of an object whose layout the caller writes itself: `prefix` is the JSON up
    /// to the value (`{"index":` for the first member, `,"line":` for the others). Objects
    /// written by the hundred thousand (a runbook's steps) skip the comma bookkeeping of `key`;
    /// only at the top level, where that bookkeeping is not running.
    @inline(__always)
    package mutating func member(_ prefix: StaticString, _ value: String?) {
        append(prefix)
        if let value { quote(value) } else { null() }
    }

    @inline(__always)
    package mutating func member(_ prefix: StaticString, _ value: Int?) {
        append(prefix)
        if let value { digits(value) } else { null() }
    }

    @inline(__always)
    package mutating func member(_ prefix: StaticString, _ value: Bool) {
        append(prefix)
        append(value ? "true" : "false")
    }

    @inline(__always)
    public mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    @inline(__always)
    public mutating func field(_ name: StaticString, _ value: Int?) {
        key(name)
        int(value)
    }

    @inline(__always)
    public mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    @inline(__always)
    private mutating func null() {
        append("null")
    }

    private mutating func open(_ byte: UInt8) {
        separate()
        append(byte)
        precondition(depth < 64, "JSON nested deeper than 64 levels")
        depth += 1
        members &= ~(1 << (depth - 1))
    }

    private mutating func close(_ byte: UInt8) {
        depth -= 1
        append(byte)
    }

    /// Writes the comma before every value but the first of its container (a key's value is
    /// not preceded by one: `key` resets the flag).
    @inline(__always)
    private mutating func separate() {
        guard depth > 0 else { return }
        let bit: UInt64 = 1 << (depth - 1)
        if members & bit != 0 {
            append(UInt8(ascii: ","))
        } else {
            members |= bit
        }
    }

    private static let hex: StaticString = "0123456789abcdef"

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(extra) }
    }

    /// Out of line: every append checks the capacity, almost none grows it.
    @inline(never)
    private mutating func grow(_ extra: Int) {
        let grown = max(count + extra, capacity * 2)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        buffer.update(from: base, count: count)
        base.deallocate()
        base = buffer
        capacity = grown
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress, !buffer.isEmpty else { return }
        reserve(buffer.count)
        (base + count).update(from: source, count: buffer.count)
        count += buffer.count
    }

    @inline(__always)
    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    private mutating func quote(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ quote(buffer: $0) }) == nil {
            var text = text
            text.withUTF8 { quote(buffer: $0) }
        }
    }

    /// Most strings need no escape: those are copied whole, after one capacity check.
    private mutating func quote(buffer: UnsafeBufferPointer<UInt8>) {
        reserve(buffer.count + 2)
        base[count] = UInt8(ascii: "\"")
        count += 1
        if JSONWriter.nextEscape(in: buffer, from: 0) == buffer.count {
            if let source = buffer.baseAddress { (base + count).update(from: source, count: buffer.count) }
            count += buffer.count
        } else {
            quoteContents(buffer)
        }
        append(UInt8(ascii: "\""))
    }

    private mutating func quoteContents(_ buffer: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var index = JSONWriter.nextEscape(in: buffer, from: 0)
        while index < buffer.count {
            append(UnsafeBufferPointer(rebasing: buffer[start..<index]))
            let byte = buffer[index]
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\t"): append("\\t")
            case UInt8(ascii: "\r"): append("\\r")
            default:
                append("\\u00")
                JSONWriter.hex.withUTF8Buffer { hex in
                    append(hex[Int(byte >> 4)])
                    append(hex[Int(byte & 0xF)])
                }
            }
            start = index + 1
            index = JSONWriter.nextEscape(in: buffer, from: start)
        }
        append(UnsafeBufferPointer(rebasing: buffer[start...]))
    }

    /// The offset of the next byte that must be escaped, eight bytes at a time: documented
    /// outputs and commands are most of the document, and most of their bytes need nothing.
    @inline(__always)
    private static func nextEscape(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = buffer.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            // A byte below `n` in `word`: the classic SWAR test (exact for "any", n <= 128).
            func hasByte(below n: UInt64, _ word: UInt64) -> Bool { (word &- ones &* n) & ~word & highs != 0 }
            func hasZero(_ word: UInt64) -> Bool { hasByte(below: 1, word) }
            while index + 8 <= buffer.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if hasByte(below: 0x20, word) || hasZero(word ^ (ones &* 0x22)) || hasZero(word ^ (ones &* 0x5C))
                    || hasZero(word ^ (ones &* 0x7F))
                {
                    break
                }
                index += 8
            }
        }
        while index < buffer.count, !needsEscape(buffer[index]) { index += 1 }
        return index
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
    }
}
