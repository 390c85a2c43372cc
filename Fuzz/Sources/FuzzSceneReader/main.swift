import Foundation
import FuzzDriver
import SMPEngine

/// One input as a scene file's bytes. Decoding and validating must throw
/// a `SceneError` or return a scene, never crash, hang or exhaust memory; a scene that loads
/// must describe itself (its error text too) without trapping.
private func fuzzSceneReader(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Data(bytes: $0, count: count) } ?? Data()
    do {
        let text = try SceneText.decode(bytes, file: "fuzz.yaml")
        let scene = try Scene.load(yaml: text, file: "fuzz.yaml")
        _ = scene.sessions.count
    } catch let error as SceneError {
        _ = error.description
    } catch {
        fatalError("Scene.load threw something other than a SceneError: \(error)")
    }
    return 0
}

exit(runFuzzer { fuzzSceneReader($0, $1) })
