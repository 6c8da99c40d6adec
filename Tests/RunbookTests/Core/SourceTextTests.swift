import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Reading a runbook file")
struct SourceTextTests {
    @Test("a runbook read from a pipe, which has no size to go by, reads whole")
    func pipe() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(Glibc.pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        let text = "---\ntitle: Piped\n---\n# Heading\n\n```console\n$ route -n\n```\n"
        let written = Array(text.utf8).withUnsafeBytes { write(descriptors[1], $0.baseAddress, $0.count) }
        close(descriptors[1])
        try #require(written == text.utf8.count)
        #expect(try SourceText.load(path: "/dev/fd/\(descriptors[0])") == text)
    }
}
