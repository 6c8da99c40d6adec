#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a runbook from disk and refuses what is not a text runbook before any parser sees it:
/// libcmark would happily render a binary or a half-decoded file, and the steps it yielded
/// would then be run on real machines.
public enum SourceText {
    /// Runbooks are documents people read; anything larger is almost certainly the wrong file, and
    /// refusing it up front keeps memory bounded (cmark's tree costs several times the input).
    public static let maximumSize = 64 << 20

    public static func load(path: String) throws(Diagnostic) -> String {
        let bytes: [UInt8]?
        do {
            bytes = try FileIO.read(path, limit: maximumSize)
        } catch {
            switch error.code {
            case EISDIR: throw .error(path, 1, "is a directory, not a runbook file")
            case EFBIG: throw .error(path, 1, "file is over \(maximumSize >> 20) MiB; runbooks over \(maximumSize >> 20) MiB are refused")
            default: throw .error(path, 1, "cannot \(error.action): \(String(cString: strerror(error.code)))")
            }
        }
        guard let bytes else { throw .error(path, 1, "cannot open: \(String(cString: strerror(ENOENT)))") }
        return try decode(bytes, path: path)
    }

    /// Validates and decodes UTF-8, dropping a byte-order mark. Errors name the line of the first
    /// bad byte, which is what a user needs to find a stray Latin-1 character.
    public static func decode(_ bytes: [UInt8], path: String) throws(Diagnostic) -> String {
        let nul = bytes.withUnsafeBufferPointer { Bytes.offset(of: 0, in: $0) }
        if let nul {
            throw .error(path, line(of: nul, in: bytes), "file contains NUL bytes: a binary file, not a Markdown runbook")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = firstInvalidUTF8Offset(bytes)
            throw .error(path, line(of: offset, in: bytes), "invalid UTF-8 (byte 0x\(String(bytes[offset], radix: 16)) at offset \(offset)); convert the file to UTF-8")
        }
        if text.unicodeScalars.first == "\u{FEFF}" {
            return String(text.unicodeScalars.dropFirst())
        }
        return text
    }

    private static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<offset].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return index
            }
            for k in 1..<length {
                guard index + k < bytes.count else { return index }
                let byte = bytes[index + k]
                let (lo, hi) = k == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
                if byte < lo || byte > hi { return index }
            }
            index += length
        }
        return index
    }
}
