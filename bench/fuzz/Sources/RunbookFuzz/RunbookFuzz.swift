import Runbook

/// libFuzzer's entry point: any bytes must give a runbook or diagnostics, never a crash, a hang
/// or a sanitizer report.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let text = try? SourceText.decode(bytes, path: "fuzz.md") else { return 0 }
    guard let runbook = try? Runbook.parse(markdown: text, file: "fuzz.md") else { return 0 }
    _ = runbook.json()
    _ = PlanRenderer(color: true).plan(runbook)
    _ = PlanRenderer(color: false).list(runbook)
    return 0
}
