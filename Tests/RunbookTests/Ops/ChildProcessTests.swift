import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookOps

#if canImport(Glibc)
    import Glibc
#endif

@Suite("the one spawner")
struct ChildProcessTests {
    @Test("a write to a child that has gone fails, and leaves SIGPIPE to the program: not ignored, not pending")
    func writeToGoneChild() throws {
        var before = sigaction()
        sigaction(SIGPIPE, nil, &before)
        let child = try ChildProcess(["true"])
        defer { child.end() }
        while !child.read(waiting: 1000).ended {}
        #expect(!child.write(Array(repeating: UInt8(ascii: "x"), count: 1 << 20)))
        var after = sigaction(), pending = sigset_t()
        sigaction(SIGPIPE, nil, &after)
        sigpending(&pending)
        #expect(
            unsafeBitCast(after.__sigaction_handler.sa_handler, to: Int.self)
                == unsafeBitCast(before.__sigaction_handler.sa_handler, to: Int.self))
        #expect(sigismember(&pending, SIGPIPE) == 0)
    }
}
