import CSQLite
import Fondi
import FondiStore
import FondiTesting
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Benchmarks of Fondi against raw SQLite on the same rows. Each phase runs in its own process
/// (Scripts/bench) so that the reported peak memory belongs to that phase alone.
///
///   fondi-bench carica N DB          bulk load of about N events through domain + store
///   fondi-bench grezzo DB COPIA      raw baseline: insert DB's event rows into COPIA, then scan them
///   fondi-bench replay DB            full replay with chain verification
///   fondi-bench carica N DB FILE     the same, also writing those commands as an `importa` JSON Lines file
let argomenti = Array(CommandLine.arguments.dropFirst())
guard let fase = argomenti.first else {
    print("uso: fondi-bench carica N DB | grezzo DB COPIA | replay DB")
    exit(2)
}
let lotto = 10_000

switch fase {
case "carica":
    let n = Int(argomenti[1])!
    let percorso = argomenti[2]
    rimuovi(percorso)
    let registro = try Registro.inizializza(percorso: percorso).registro
    var passi: [Passo] = []
    passi.reserveCapacity(lotto)
    var eventi = 0
    var comandi = 0
    // A snapshot every tenth of the ledger, so queries in the past fold only a tail; their cost is
    // measured apart and not counted in the load's events/s.
    var prossimaIstantanea = n / 10
    var secondiIstantanee = 0.0
    var istantanee: [String] = []
    let inizio = adesso()
    func svuota() throws {
        let esiti = try registro.registra(passi)
        eventi += esiti.reduce(0) { $0 + $1.eventi.count }
        comandi += passi.count
        passi.removeAll(keepingCapacity: true)
        if eventi >= prossimaIstantanea {
            let t0 = adesso()
            let info = try registro.creaIstantanea()
            secondiIstantanee += adesso() - t0
            istantanee.append("\(info.seq):\(f1(adesso() - t0))s:\(info.byte / 1_048_576)MiB")
            prossimaIstantanea += n / 10
        }
    }
    // The same commands as an `importa` file, for the binary's import of exactly these commands.
    let lunghezzaRiga = getenv("FONDI_BENCH_RIGA").flatMap { Int(String(cString: $0)) } ?? 0
    let righe = argomenti.count > 3 ? fopen(argomenti[3], "wb") : nil
    var bufferRighe = ""
    // FONDI_BENCH_MIX=0.8: the event mix of release 0.8.0 (no DOMAIN §9 events), to compare engines per event.
    let armonizzato = getenv("FONDI_BENCH_MIX").map { String(cString: $0) } != "0.8"
    try GeneratoreRealistico(eventiPerAnno: max(10_000, n / 10), armonizzato: armonizzato).genera(totale: n) { c, d, atto in
        if righe != nil {
            // FONDI_BENCH_RIGA=L pads each line's act to about L bytes (a file like an office's real export).
            bufferRighe += rigaImporta(c, data: d, atto: riempi(atto, riga: lunghezzaRiga))
            bufferRighe += "\n"
            if bufferRighe.utf8.count > 1 << 20 { fputs(bufferRighe, righe); bufferRighe = "" }
        }
        if case .chiudi = c { try svuota() }
        passi.append(Passo(comando: c, contesto: Contesto(data: d, atto: atto.isEmpty ? nil : txt(atto), utente: "bench", chiave: nil)))
        if case .chiudi = c {
            // The closing's events depend on the state: run it alone and count what it appended.
            let prima = eventi
            try svuota()
            return eventi - prima
        }
        if passi.count >= lotto { try svuota() }
        return 1
    }
    try svuota()
    let secondi = adesso() - inizio - secondiIstantanee
    if let righe { fputs(bufferRighe, righe); fclose(righe) }
    let picco = piccoMemoriaMiB()
    var db: OpaquePointer?
    sqlite3_open(percorso, &db)
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nil, nil, nil)
    let byteIstantanee = { () -> Int64 in
        var s: OpaquePointer?
        sqlite3_prepare_v2(db, "SELECT coalesce(sum(length(dati)), 0) FROM istantanea", -1, &s, nil)
        defer { sqlite3_finalize(s) }
        return sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0
    }()
    sqlite3_close(db)
    riga([("fase", "carica"), ("comandi", "\(comandi)"), ("eventi", "\(eventi)"), ("secondi", f1(secondi)),
          ("eventi_al_secondo", "\(Int(Double(eventi) / secondi))"), ("picco_MiB", f1(picco)),
          ("byte_per_evento", "\((dimensioneFile(percorso) - byteIstantanee) / Int64(max(eventi, 1)))"),
          ("istantanee", istantanee.joined(separator: ","))])

case "grezzo":
    // The physical limit: the same rows, prepared statements, one transaction per batch, no checks.
    let sorgente = argomenti[1], copia = argomenti[2]
    rimuovi(copia)
    var src: OpaquePointer?, dst: OpaquePointer?
    sqlite3_open(sorgente, &src)
    sqlite3_open(copia, &dst)
    sqlite3_exec(dst, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE evento (seq INTEGER PRIMARY KEY, tipo TEXT, versione INTEGER, data TEXT, registrato_il TEXT, utente TEXT, chiave TEXT, atto TEXT, payload TEXT, hash BLOB) STRICT", nil, nil, nil)
    var leggi: OpaquePointer?, scrivi: OpaquePointer?
    sqlite3_prepare_v2(src, "SELECT seq, tipo, versione, data, registrato_il, utente, chiave, atto, payload, hash FROM evento ORDER BY seq", -1, &leggi, nil)
    sqlite3_prepare_v2(dst, "INSERT INTO evento VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &scrivi, nil)
    // Read everything first, so the timed part is the insert alone.
    var righe: [(Int64, String, Int64, String, String, String, String?, String?, String, [UInt8])] = []
    func t(_ s: OpaquePointer?, _ c: Int32) -> String? { sqlite3_column_text(s, c).map { String(cString: $0) } }
    while sqlite3_step(leggi) == SQLITE_ROW {
        let h = sqlite3_column_blob(leggi, 9)!
        righe.append((sqlite3_column_int64(leggi, 0), t(leggi, 1)!, sqlite3_column_int64(leggi, 2), t(leggi, 3)!, t(leggi, 4)!, t(leggi, 5)!,
                      t(leggi, 6), t(leggi, 7), t(leggi, 8)!, Array(UnsafeRawBufferPointer(start: h, count: 32))))
    }
    let transitorio = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    let inizio = adesso()
    for (i, r) in righe.enumerated() {
        if i % lotto == 0 { sqlite3_exec(dst, "BEGIN", nil, nil, nil) }
        sqlite3_bind_int64(scrivi, 1, r.0)
        sqlite3_bind_text(scrivi, 2, r.1, -1, transitorio)
        sqlite3_bind_int64(scrivi, 3, r.2)
        sqlite3_bind_text(scrivi, 4, r.3, -1, transitorio)
        sqlite3_bind_text(scrivi, 5, r.4, -1, transitorio)
        sqlite3_bind_text(scrivi, 6, r.5, -1, transitorio)
        if let c = r.6 { sqlite3_bind_text(scrivi, 7, c, -1, transitorio) } else { sqlite3_bind_null(scrivi, 7) }
        if let a = r.7 { sqlite3_bind_text(scrivi, 8, a, -1, transitorio) } else { sqlite3_bind_null(scrivi, 8) }
        sqlite3_bind_text(scrivi, 9, r.8, -1, transitorio)
        r.9.withUnsafeBytes { _ = sqlite3_bind_blob(scrivi, 10, $0.baseAddress, 32, transitorio) }
        guard sqlite3_step(scrivi) == SQLITE_DONE else { fatalError(String(cString: sqlite3_errmsg(dst))) }
        sqlite3_reset(scrivi)
        if i % lotto == lotto - 1 || i == righe.count - 1 { sqlite3_exec(dst, "COMMIT", nil, nil, nil) }
    }
    let inserimento = adesso() - inizio
    sqlite3_exec(dst, "PRAGMA wal_checkpoint(TRUNCATE)", nil, nil, nil)
    var scansione: OpaquePointer?
    sqlite3_prepare_v2(dst, "SELECT seq, tipo, versione, data, registrato_il, utente, chiave, atto, payload, hash FROM evento ORDER BY seq", -1, &scansione, nil)
    let inizioScan = adesso()
    var byte = 0
    while sqlite3_step(scansione) == SQLITE_ROW {
        for c in 0..<10 { byte += Int(sqlite3_column_bytes(scansione, Int32(c))) }
    }
    let scan = adesso() - inizioScan
    riga([("fase", "grezzo"), ("eventi", "\(righe.count)"), ("inserimento_al_secondo", "\(Int(Double(righe.count) / inserimento))"),
          ("scansione_al_secondo", "\(Int(Double(righe.count) / scan))"), ("byte_letti", "\(byte)"),
          ("byte_per_evento", "\(dimensioneFile(copia) / Int64(max(righe.count, 1)))")])

case "replay":
    let registro = try Registro.apri(percorso: argomenti[1])
    let inizio = adesso()
    var n = 0
    let stato = try registro.ricostruisci(archivia: true, ogniEvento: { _ in n += 1 })
    let secondi = adesso() - inizio
    riga([("fase", "replay"), ("eventi", "\(n)"), ("secondi", f1(secondi)), ("eventi_al_secondo", "\(Int(Double(n) / secondi))"),
          ("impegni_aperti", "\(stato.impegni.count)"), ("picco_MiB", f1(piccoMemoriaMiB()))])

default:
    print("fase sconosciuta: \(fase)")
    exit(2)
}

/// One `importa` line for a command: the subcommand and its options, amounts as typed in Italian.
func rigaImporta(_ c: Comando, data: DataContabile, atto: String) -> String {
    var o: [String: ValoreJSON] = ["comando": .stringa(c.nome), "data": .stringa(data.description)]
    if !atto.isEmpty { o["atto"] = .stringa(atto) }
    func s(_ k: String, _ v: String?) { if let v { o[k] = .stringa(v) } }
    func i(_ x: Importo) { o["importo"] = .stringa(Importo.formatoItaliano(x.centesimi)) }
    func l(_ k: LineaChiave) { s("fonte", k.fonte); s("servizio", k.servizio); o["esercizio"] = .intero(Int64(k.esercizio)) }
    switch c {
    case let .fonteRegistra(codice, tipo, annualita, importo, vincolata, descrizione):
        s("codice", codice.testo); s("tipo", tipo.testo); o["annualita"] = .intero(Int64(annualita)); i(importo)
        o[vincolata ? "vincolata" : "libera"] = .booleano(true); s("descrizione", descrizione?.testo)
    case let .servizioRegistra(codice, descrizione): s("codice", codice.testo); s("descrizione", descrizione.testo)
    case let .programma(k, importo): l(k); i(importo)
    case let .impegna(numero, k, importo, creditore, oggetto, cig, cup, prenotazione):
        s("numero", numero.testo); l(k); i(importo); s("creditore", creditore.testo); s("oggetto", oggetto.testo); s("cig", cig?.testo); s("cup", cup?.testo)
        s("prenotazione", prenotazione?.testo)
    case let .prenota(numero, k, importo, oggetto): s("numero", numero.testo); l(k); i(importo); s("oggetto", oggetto.testo)
    case let .impegnoReimputa(impegno, importo, esercizio, numero):
        s("impegno", impegno.testo); i(importo); o["esercizio"] = .intero(Int64(esercizio)); s("numero", numero.testo)
    case let .residuoElimina(impegno, importo, motivo): s("impegno", impegno.testo); i(importo); s("motivo", motivo.testo)
    case let .accerta(numero, fonte, esercizio, importo, debitore):
        s("numero", numero.testo); s("fonte", fonte.testo); o["esercizio"] = .intero(Int64(esercizio)); i(importo); s("debitore", debitore.testo)
    case let .incassa(reversale, accertamento, importo, documento):
        s("reversale", reversale.testo); s("accertamento", accertamento.testo); i(importo); s("documento", documento?.testo)
    case let .liquida(numero, impegno, importo, documento):
        s("numero", numero.testo); s("impegno", impegno.testo); i(importo); s("documento", documento?.testo)
    case let .paga(mandato, liquidazione, importo): s("mandato", mandato.testo); s("liquidazione", liquidazione.testo); i(importo)
    case let .chiudi(esercizio): o["esercizio"] = .intero(Int64(esercizio))
    default: fatalError("comando non generato dal banco: \(c.nome)")
    }
    return ValoreJSON.oggetto(o).testoCanonico
}

/// The act padded so that a line is about `riga` bytes long (0: as it is).
func riempi(_ atto: String, riga: Int) -> String {
    guard riga > 200 else { return atto }
    let base = atto.isEmpty ? "Atto" : atto
    return base + " - " + String(repeating: "x", count: min(450, riga - 200))
}
