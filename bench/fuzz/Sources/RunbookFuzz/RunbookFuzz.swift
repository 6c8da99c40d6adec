@testable import RunbookCore

/// libFuzzer's entry point: any bytes must give a runbook or diagnostics, never a crash, a hang
/// or a sanitizer report; and a document read in parts (cut at top-level headings, as large
/// ones are) must read exactly as it does whole.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let text = try? SourceText.decode(bytes, path: "fuzz.md") else { return 0 }
    let whole = reading(text, minimumPart: .max / 4)
    let parts = reading(text, minimumPart: 1)
    if whole != parts {
        fatalError("read in parts differs from read whole:\n\(whole)\n---\n\(parts)")
    }
    guard let runbook = try? Runbook.parse(markdown: text, file: "fuzz.md") else { return 0 }
    _ = runbook.json()
    _ = PlanRenderer(color: true).plan(runbook)
    _ = PlanRenderer(color: false).list(runbook)
    return 0
}

/// What a parse yields, comparable: the steps and warnings, or the diagnostics it failed with.
private struct Reading: Equatable {
    var steps: [Step]
    var diagnostics: [Diagnostic]
    var otherBlocks: [Document.CodeBlock]
}

private func reading(_ text: String, minimumPart: Int) -> Reading {
    do {
        let runbook = try Runbook.parse(markdown: text, file: "fuzz.md", minimumPart: minimumPart)
        return Reading(steps: runbook.steps, diagnostics: runbook.warnings, otherBlocks: runbook.otherBlocks)
    } catch {
        return Reading(steps: [], diagnostics: error.diagnostics, otherBlocks: [])
    }
}
