/// Reads a runbook from disk and refuses what is not a text runbook before any parser sees it:
/// libcmark would happily render a binary or a half-decoded file, and the steps it yielded
/// would then be run on real machines.
public enum SourceText {
    /// Runbooks are documents people read; anything larger is almost certainly the wrong file, and
    /// refusing it up front keeps memory bounded (cmark's tree costs several times the input).
    public static let maximumSize = 64 << 20

    public static func load(path: String) throws(Diagnostic) -> String {
        var problem: Diagnostic? = nil
        // What was read before the file turned out longer than its size: a pipe, or a file
        // that grew. It is read on from the same descriptor (a pipe cannot be read twice).
        var longer: [UInt8]? = nil
        let read: String?
        do {
            read = try FileIO.withOpenFile(path, limit: maximumSize) { (fd, size) throws(FileIO.Failure) -> String in
                // Straight into the string's storage: one copy of the file instead of three
                // (into an array, then into a string), which is a tenth of reading a large runbook.
                var failure: FileIO.Failure? = nil
                let text = String(unsafeUninitializedCapacity: size + 1) { buffer in
                    switch FileIO.fill(buffer, from: fd, path: path) {
                    case .failure(let error):
                        failure = error
                        return 0
                    case .success(let filled):
                        let bytes = UnsafeBufferPointer(rebasing: buffer[..<filled.count])
                        guard filled.atEnd else {
                            longer = Array(bytes)
                            return 0
                        }
                        problem = self.problem(in: bytes, path: path)
                        return problem == nil ? filled.count : 0
                    }
                }
                if let failure { throw failure }
                if longer != nil { try FileIO.readRest(fd, into: &longer!, limit: maximumSize, path: path) }
                return text
            }
        } catch {
            throw diagnostic(error, path: path)
        }
        if let problem { throw problem }
        guard let read else { throw .error(path, 1, "cannot open: \(Platform.errorText(Platform.noSuchFile))") }
        if let longer {
            if longer.count > maximumSize {
                throw diagnostic(FileIO.Failure(path: path, action: "read", code: Platform.fileTooLarge), path: path)
            }
            return try decode(longer, path: path)
        }
        return droppingByteOrderMark(read)
    }

    private static func diagnostic(_ error: FileIO.Failure, path: String) -> Diagnostic {
        switch error.code {
        case Platform.isADirectory: .error(path, 1, "is a directory, not a runbook file")
        case Platform.fileTooLarge:
            .error(path, 1, "file is over \(maximumSize >> 20) MiB; runbooks over \(maximumSize >> 20) MiB are refused")
        default: .error(path, 1, "cannot \(error.action): \(Platform.errorText(error.code))")
        }
    }

    /// Validates and decodes UTF-8, dropping a byte-order mark.
    public static func decode(_ bytes: [UInt8], path: String) throws(Diagnostic) -> String {
        if let problem = bytes.withUnsafeBufferPointer({ problem(in: $0, path: path) }) { throw problem }
        return droppingByteOrderMark(String(decoding: bytes, as: UTF8.self))
    }

    private static func droppingByteOrderMark(_ text: String) -> String {
        text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
    }

    /// NUL bytes or invalid UTF-8. Errors name the line of the first bad byte, which is what a
    /// user needs to find a stray Latin-1 character.
    private static func problem(in bytes: UnsafeBufferPointer<UInt8>, path: String) -> Diagnostic? {
        if let nul = Bytes.offset(of: 0, in: bytes) {
            return .error(
                path, line(of: nul, in: bytes), "file contains NUL bytes: a binary file, not a Markdown runbook")
        }
        let offset = firstInvalidUTF8Offset(bytes)
        guard offset < bytes.count else { return nil }
        return .error(
            path, line(of: offset, in: bytes),
            "invalid UTF-8 (byte 0x\(String(bytes[offset], radix: 16)) at offset \(offset)); convert the file to UTF-8")
    }

    private static func line(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        1 + bytes[..<offset].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// The offset of the first byte that is not well-formed UTF-8 (the count when all are).
    /// ASCII, most of any runbook, is skipped eight bytes at a time.
    private static func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        while index < bytes.count {
            if let base = bytes.baseAddress {
                while index + 8 <= bytes.count,
                    UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    index += 8
                }
                guard index < bytes.count else { break }
            }
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
