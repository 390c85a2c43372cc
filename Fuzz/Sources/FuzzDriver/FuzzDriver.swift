/// libFuzzer's driver, called from a target's top-level code. SwiftPM links an executable with
/// its entry renamed (`main` becomes `<Target>_main`), which hides libFuzzer's own `main`; the
/// targets therefore start the driver themselves, with `LLVMFuzzerRunDriver` (libFuzzer's API
/// for a program that has its own `main`).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// Runs libFuzzer with this process's arguments on `testOneInput` and returns its exit status.
public func runFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv, testOneInput)
}
