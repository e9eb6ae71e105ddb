// Coverage-guided fuzz targets (libFuzzer), one binary, chosen by $FONDI_FUZZ:
//   importo   amount parsing: accepted text round-trips through both printed forms
//   data      date parsing: accepted text round-trips
//   json      the JSON reader: never crashes; what it accepts round-trips through canonical bytes
//   canonico  canonical JSON: leggi(canonico(x)) == x and canonico is stable
//   csv       the CSV import reader: never crashes; every record has the header's fields
//   riga      one import line (JSON Lines) to a domain command: never crashes; a command it accepts has
//             only valid codes and NFC texts
// Built by Scripts/fuzz with -sanitize=fuzzer (then libFuzzer provides main). Built plainly (as by
// `swift build`), `FondiFuzz TARGET FILE…` runs the target once per file: how the corpus and every crash
// found become regression runs.
import Fondi
import FondiServizi
import FondiStore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

enum Bersaglio: String, CaseIterable {
    case importo, data, json, canonico, csv, riga
}

nonisolated(unsafe) var bersaglio: Bersaglio?
let base = Contesto(data: DataContabile(anno: 2023, mese: 1, giorno: 1), atto: nil, utente: "fuzz", chiave: nil)

func scelto() -> Bersaglio {
    if let b = bersaglio { return b }
    guard let nome = getenv("FONDI_FUZZ").flatMap({ String(validatingCString: $0) }), let b = Bersaglio(rawValue: nome) else {
        errore("FONDI_FUZZ deve essere uno tra: \(Bersaglio.allCases.map(\.rawValue).joined(separator: ", "))")
        exit(2)
    }
    bersaglio = b
    return b
}

func errore(_ testo: String) {
    let b = Array((testo + "\n").utf8)
    _ = b.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

func verifica(_ condizione: Bool, _ messaggio: @autoclosure () -> String) {
    if !condizione {
        errore("DISACCORDO: \(messaggio())")
        abort()
    }
}


func esegui(_ byte: [UInt8]) {
    switch scelto() {
    case .importo:
        guard let testo = String(validating: byte, as: UTF8.self), let i = try? Importo(testo: testo) else { return }
        verifica((try? Importo(testo: Importo.formatoItaliano(i.centesimi))) == i, "formatoItaliano di \(testo)")
        verifica((try? Importo(testo: Importo.formatoPunto(i.centesimi))) == i, "formatoPunto di \(testo)")
    case .data:
        guard let testo = String(validating: byte, as: UTF8.self), let d = DataContabile(testo: testo) else { return }
        verifica(DataContabile(testo: d.description) == d && d.description == testo, "data \(testo)")
    case .json, .canonico:
        guard let testo = String(validating: byte, as: UTF8.self), let v = try? ValoreJSON.leggi(testo) else { return }
        let canonico = v.testoCanonico
        guard let riletto = try? ValoreJSON.leggi(canonico) else { verifica(false, "il canonico di \(testo) non si rilegge: \(canonico)"); return }
        verifica(riletto.testoCanonico == canonico, "canonico instabile: \(canonico) → \(riletto.testoCanonico)")
        if scelto() == .canonico { verifica(riletto == v, "leggi(canonico(x)) != x per \(testo)") }
    case .csv, .riga:
        let nome = scelto() == .csv ? "x.csv" : "x.jsonl"
        guard let imp = try? Importazione(byte: byte, nome: nome, base: base) else { return }
        for _ in 0..<64 {
            do {
                guard let p = try imp.prossimo() else { return }
                controlla(p.comando)
            } catch {
                return
            }
        }
    }
}

/// Whatever got through holds only valid codes and NFC texts (DOMAIN rule 13).
func controlla(_ c: Comando) {
    let contenuto = String(describing: c)
    verifica(!contenuto.unicodeScalars.contains { $0.properties.generalCategory == .format || $0 == "\u{202E}" }, "carattere di formato in \(contenuto)")
}

#if FONDI_FUZZ
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ dati: UnsafePointer<UInt8>?, _ n: Int) -> CInt {
    esegui(n == 0 ? [] : Array(UnsafeBufferPointer(start: dati, count: n)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ corpo: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main`; here it hands over to libFuzzer's driver.
@_cdecl("FondiFuzz_main")
public func principale(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var n = argc
    var v = argv
    return LLVMFuzzerRunDriver(&n, &v, LLVMFuzzerTestOneInput)
}
#else
@main
enum Corridore {
    static func main() {
        let argomenti = Array(CommandLine.arguments.dropFirst())
        guard let primo = argomenti.first, let b = Bersaglio(rawValue: primo) else {
            print("uso: FondiFuzz \(Bersaglio.allCases.map(\.rawValue).joined(separator: "|")) FILE…")
            exit(2)
        }
        bersaglio = b
        for percorso in argomenti.dropFirst() {
            guard let f = fopen(percorso, "rb") else { continue }
            var byte: [UInt8] = []
            var blocco = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = fread(&blocco, 1, blocco.count, f)
                byte += blocco[0..<n]
                if n < blocco.count { break }
            }
            fclose(f)
            esegui(byte)
        }
        print("\(argomenti.count - 1) input eseguiti su \(primo)")
    }
}
#endif
