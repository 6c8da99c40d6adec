/// JSON text a `JSONWriter` finished, owned as it was written.
package final class JSONBytes: @unchecked Sendable {
    private let base: UnsafeMutablePointer<UInt8>
    private let count: Int

    /// Takes ownership of `count` bytes at `base`, which it deallocates.
    init(base: UnsafeMutablePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    deinit {
        base.deallocate()
    }

    package func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: count))
    }
}
