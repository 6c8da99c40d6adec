/// Writes JSON straight into a byte buffer, objects keeping the order their members are written
/// in, so documents read like the schema (`schema`, `file`, `title`, `steps`) and golden files
/// stay stable. No intermediate tree: runbooks with 100,000 steps serialise at memcpy speed.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// One entry per open container: whether a member was written (a comma is due).
    private var hasMembers: [Bool] = []
    private var breaksLine = false

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the current object; the value follows.
    public mutating func key(_ name: String) {
        separate()
        quote(name)
        bytes.append(UInt8(ascii: ":"))
        hasMembers[hasMembers.count - 1] = false
    }

    public mutating func string(_ value: String?) {
        separate()
        if let value { quote(value) } else { null() }
    }

    public mutating func int(_ value: Int?) {
        separate()
        if let value { bytes.append(contentsOf: String(value).utf8) } else { null() }
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func nullValue() {
        separate()
        null()
    }

    /// Puts the next value on a new line (after its comma), for documents meant to be read line
    /// by line too.
    public mutating func newline() {
        breaksLine = true
    }

    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        string(value)
    }

    public mutating func field(_ name: String, _ value: Int?) {
        key(name)
        int(value)
    }

    private mutating func null() {
        bytes.append(contentsOf: "null".utf8)
    }

    private mutating func open(_ byte: UInt8) {
        separate()
        bytes.append(byte)
        hasMembers.append(false)
    }

    private mutating func close(_ byte: UInt8) {
        hasMembers.removeLast()
        lineBreak()
        bytes.append(byte)
    }

    private mutating func lineBreak() {
        if breaksLine { bytes.append(UInt8(ascii: "\n")) }
        breaksLine = false
    }

    /// Writes the comma before every value but the first of its container (a key's value is
    /// not preceded by one: `key` resets the flag).
    private mutating func separate() {
        guard let last = hasMembers.last else { return }
        if last {
            bytes.append(UInt8(ascii: ","))
        } else {
            hasMembers[hasMembers.count - 1] = true
        }
        lineBreak()
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func quote(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { buffer in
            var start = 0
            for (index, byte) in buffer.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
                case UInt8(ascii: "\n"): bytes.append(contentsOf: "\\n".utf8)
                case UInt8(ascii: "\t"): bytes.append(contentsOf: "\\t".utf8)
                case UInt8(ascii: "\r"): bytes.append(contentsOf: "\\r".utf8)
                default:
                    bytes.append(contentsOf: "\\u00".utf8)
                    bytes.append(JSONWriter.hex[Int(byte >> 4)])
                    bytes.append(JSONWriter.hex[Int(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
