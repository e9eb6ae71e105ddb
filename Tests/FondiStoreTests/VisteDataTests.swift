// Goal: a view at a date (`--al`) made from the date frontier, the back-dated events and the periodic
// snapshots (ADR 0016) is the filtered replay from the first event, state for state, whatever the dates
// (back-dated, far ahead, repeated) and wherever the snapshots are; the migration indexes stored events as
// appending them did.
import CSQLite
import Fondi
@testable import FondiPostgres
@testable import FondiStore
import FondiTesting
import PropertyBased
import Testing

struct VisteDataTests {
    @Test func vistaAlUgualeAlReplayFiltrato() async {
        await propertyCheck(count: 20, input: Gen.int(in: 0...Int.max).array(of: 40...220), Gen.int(in: -40...40).array(of: 1...30),
                            Gen.int(in: 0...10_000).array(of: 1...6)) { valori, scarti, tagli in
            do {
                let t = try RegistroTemporaneo()
                for (passo, v) in valori.enumerated() {
                    let (c, _) = GeneratoreComandi.comando(v, passo: passo)
                    // Dates up to 200 days early or late: back-dated acts, acts dated ahead, the same day twice.
                    let d = GeneratoreComandi.data(passo: max(0, passo + scarti[passo % scarti.count]))
                    do { try t.esegui(c, d.description) } catch is Rifiuto {}
                    if passo % 29 == 28 { try t.registro.creaIstantaneePeriodiche(passo: 7) }
                }
                let ultimo = try t.registro.testa().seq
                guard ultimo > 0 else { return }
                var date: [DataContabile] = []
                try t.registro.leggiEventi { date.append($0.data) }
                let giorni = Set(date).sorted()
                // Before the first date, each stored date, the day after some, and past the last.
                var viste = [DataContabile(anno: 2022, mese: 12, giorno: 31), DataContabile(anno: 2099, mese: 1, giorno: 1)]
                for x in tagli { viste.append(giorni[x % giorni.count]); viste.append(date[x % date.count]) }
                for d in viste {
                    for fino in [nil, Int64(tagli[0]) % ultimo + 1] {
                        let atteso = try t.registro.ricostruisci(fino: fino, filtro: { $0.data <= d }, archivia: true)
                        let vista = try t.registro.ricostruisciAl(d, fino: fino)
                        #expect(vista == atteso, "al \(d), fino a \(fino.map(String.init) ?? "-")")
                        #expect(vista.residui(filtri: Filtri()) == atteso.residui(filtri: Filtri()))
                        #expect(vista.saldi(per: .fonte, filtri: Filtri()) == atteso.saldi(per: .fonte, filtri: Filtri()))
                    }
                }
                // The events after a seq dated up to a day (a rendicontazione's rettifiche), read through the date
                // index, are those a scan of the chain selects.
                var tutti: [EventoRegistrato] = []
                try t.registro.leggiEventi { tutti.append($0) }
                for d in viste {
                    for x in tagli + [0] {
                        let dopo = Int64(x) % (ultimo + 1)
                        let indice = try t.registro.eventiDatatiEntro(d, dopo: dopo).map(\.seq)
                        #expect(indice == tutti.filter { $0.seq > dopo && $0.data <= d }.map(\.seq), "al \(d), dopo \(dopo)")
                    }
                }
                // An impegno's trail read through its index is the one a scan of the chain selects.
                var numeri = Set<String>()
                try t.registro.leggiEventi { if case let .impegnoAssunto(n, _, _, _, _, _, _, _) = $0.evento { numeri.insert(n) } }
                for n in numeri.sorted() {
                    let soggetto = FiltroStoria.Soggetto.impegno(n, origini: try t.registro.origini(impegno: n))
                    for fino in [nil, Int64(tagli[0]) % ultimo + 1] {
                        var f1 = FiltroStoria(soggetto), f2 = FiltroStoria(soggetto)
                        var scansione: [Int64] = []
                        try t.registro.leggiEventi(fino: fino) { if f1.accetta($0.evento) { scansione.append($0.seq) } }
                        let indice = try t.registro.eventiImpegni([n] + (try t.registro.origini(impegno: n)), fino: fino).filter { f2.accetta($0.evento) }.map(\.seq)
                        #expect(indice == scansione, "impegno \(n)")
                    }
                }
                // The migration's indexing of stored events equals what the appends wrote.
                let prima = try indiceDate(t.percorso)
                let impegniPrima = sqlRighe(t.percorso, "SELECT seq FROM evento_impegno ORDER BY impegno, seq")
                let andamentoPrima = sqlRighe(t.percorso, "SELECT mese, impegnato, pagato FROM andamento_mensile WHERE impegnato <> 0 OR pagato <> 0 ORDER BY mese")
                // (SQLite's migrations only: PostgreSQL ledgers start at the current schema.)
                if !MotoreProva.postgres {
                    #expect(sqlGrezzo(t.percorso, "DELETE FROM frontiera_data; DELETE FROM evento_retrodatato; DELETE FROM evento_impegno; DELETE FROM andamento_mensile; "
                                      + Schema.indicizzaDate + Schema.indicizzaImpegni + Schema.indicizzaAndamento).codice == SQLITE_OK)
                }
                #expect(sqlRighe(t.percorso, "SELECT mese, impegnato, pagato FROM andamento_mensile WHERE impegnato <> 0 OR pagato <> 0 ORDER BY mese") == andamentoPrima)
                // The months sum to the impegni assunti net of riduzioni, and to the mandati, of the whole ledger.
                let tutto = try t.registro.ricostruisci()
                let anni = Set(date.map(\.anno))
                let mesi = try anni.flatMap { try t.registro.andamentoMensile(anno: $0) }
                #expect(mesi.reduce(0) { $0 + $1.pagato } == tutto.mandati.values.reduce(0) { $0 + $1.importo })
                #expect(mesi.reduce(0) { $0 + $1.impegnato } == tutto.impegni.values.reduce(0) { $0 + ($1.origine == nil ? $1.assunto : 0) - $1.ridotto })
                #expect(try indiceDate(t.percorso) == prima)
                #expect(sqlRighe(t.percorso, "SELECT seq FROM evento_impegno ORDER BY impegno, seq") == impegniPrima)
                #expect(prima.frontiera.count + prima.retrodatati.count <= Int(ultimo))
                // Periodic snapshots are snapshots like any other: sound, and checked by verifica.
                #expect(try t.registro.verificaIstantanee().allSatisfy(\.integra))
            } catch {
                Issue.record("errore inatteso: \(error)")
            }
        }
    }

    /// The snapshots land on every multiple of the step, each once, from any starting point; a view far from
    /// the first event starts from the nearest one.
    @Test func istantaneePeriodiche() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        for k in 1...30 {
            try t.esegui(.fonteIntegra(codice: "FNA-2023", importo: .euro(Int64(k))), "2023-08-\(10 + k % 18)")
        }
        let ultimo = try t.registro.testa().seq
        #expect(try t.registro.creaIstantaneePeriodiche(passo: 10) == Array(stride(from: 10, through: ultimo, by: 10)))
        #expect(try t.registro.creaIstantaneePeriodiche(passo: 10) == [])
        _ = sqlGrezzo(t.percorso, "DELETE FROM istantanea WHERE seq = 20")
        #expect(try t.registro.creaIstantaneePeriodiche(passo: 10) == [20])
        #expect(try t.registro.istantanee().allSatisfy(\.integra))
        let d = DataContabile(anno: 2023, mese: 8, giorno: 20)
        #expect(try t.registro.ricostruisciAl(d) == t.registro.ricostruisci(filtro: { $0.data <= d }, archivia: true))
    }

    /// A view reads the late events' chain links: a late event altered by hand is named, not folded.
    @Test func eventoTardivoAlteratoRilevato() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        try t.esegui(.fonteIntegra(codice: "FNA-2023", importo: .euro(5)), "2023-12-01")
        let tardivo = try t.esegui(.fonteIntegra(codice: "FNA-2023", importo: .euro(7)), "2023-06-01")
        try t.esegui(.fonteIntegra(codice: "FNA-2023", importo: .euro(9)), "2023-12-02")
        let seq = tardivo[0].seq
        #expect(sqlValore(t.percorso, "SELECT count(*) FROM evento_retrodatato WHERE blocco = \(seq / 64) AND da <= 20230701 AND a >= 20230701") == 1)
        _ = sqlGrezzo(t.percorso, "DROP TRIGGER IF EXISTS evento_append_only_update; UPDATE evento SET payload = replace(payload, '700', '800') WHERE seq = \(seq)")
        #expect(throws: ErroreIntegrita.self) { try t.registro.ricostruisciAl(DataContabile(anno: 2023, mese: 7, giorno: 1)) }
    }
}

private func indiceDate(_ percorso: String) throws -> (frontiera: [[Int64]], retrodatati: [[Int64]]) {
    (sqlRighe(percorso, "SELECT seq, data FROM frontiera_data ORDER BY seq"), sqlRighe(percorso, "SELECT blocco, da, a FROM evento_retrodatato ORDER BY blocco"))
}

/// Integer rows of a query, through a raw connection.
func sqlRighe(_ percorso: String, _ sql: String) -> [[Int64]] {
    if IndirizzoPostgres.riconosce(percorso) {
        guard let c = try? ConnessionePostgres(try IndirizzoPostgres(percorso)), let s = try? c.istruzione(sql) else { return [] }
        return (try? s.righe { r in (0..<(r as! IstruzionePostgres).numeroColonne).map { r.intero($0) } }) ?? []
    }
    var db: OpaquePointer?
    guard sqlite3_open(percorso, &db) == SQLITE_OK else { return [] }
    defer { sqlite3_close(db) }
    var s: OpaquePointer?
    guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK else { return [] }
    defer { sqlite3_finalize(s) }
    var righe: [[Int64]] = []
    while sqlite3_step(s) == SQLITE_ROW {
        righe.append((0..<sqlite3_column_count(s)).map { sqlite3_column_int64(s, $0) })
    }
    return righe
}

func sqlValore(_ percorso: String, _ sql: String) -> Int64? { sqlRighe(percorso, sql).first?.first }

// Goal: the present as `fondi serve` keeps it (ADR 0018), a state carried forward from an earlier one by
// folding only the events appended since, gives every report exactly as the stored projections do, at every
// step of random histories, from any earlier point, with and without snapshots.
struct StatoAllaTestaTests {
    @Test func portatoAvantiUgualeAlleProiezioni() async {
        await propertyCheck(count: 20, input: Gen.int(in: 0...Int.max).array(of: 40...220), Gen.int(in: 1...25).array(of: 1...12)) { valori, salti in
            do {
                let t = try RegistroTemporaneo()
                var tenuto: StatoAllaTesta?
                var passo = 0, giro = 0
                while passo < valori.count {
                    for _ in 0..<salti[giro % salti.count] where passo < valori.count {
                        let (c, d) = GeneratoreComandi.comando(valori[passo], passo: passo)
                        do { _ = try t.esegui(c, d.description) } catch is Rifiuto {}
                        if passo % 37 == 36 { try t.registro.creaIstantaneePeriodiche(passo: 11) }
                        passo += 1
                    }
                    giro += 1
                    // Sometimes from nothing, mostly from the state kept at an earlier head.
                    guard let presente = try t.registro.statoAllaTesta(da: giro % 5 == 0 ? nil : tenuto, massimo: 1_000) else {
                        Issue.record("nessuno stato alla testa al passo \(passo)")
                        return
                    }
                    #expect(presente.seq == (try t.registro.testa().seq))
                    let proiezioni = try t.registro.statoPerRapporti(impegniDaPagare: true)
                    let senzaImpegni = try t.registro.statoPerRapporti(impegniDaPagare: false)
                    for per in Raggruppamento.allCases {
                        #expect(presente.stato.saldi(per: per, filtri: Filtri()) == senzaImpegni.saldi(per: per, filtri: Filtri()), "\(per) al passo \(passo)")
                    }
                    #expect(presente.stato.prospetto(filtri: Filtri()) == senzaImpegni.prospetto(filtri: Filtri()))
                    #expect(presente.stato.residui(filtri: Filtri()) == proiezioni.residui(filtri: Filtri()))
                    tenuto = presente
                }
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    /// Past `massimo` events to fold, it declines (the server then reads the projections instead).
    @Test func troppiEventiDaPiegare() throws {
        let t = try RegistroTemporaneo()
        for passo in 0..<30 {
            let (c, d) = GeneratoreComandi.comando(passo * 7_919, passo: passo)
            do { _ = try t.esegui(c, d.description) } catch is Rifiuto {}
        }
        let n = try t.registro.testa().seq
        #expect(n > 5)
        #expect(try t.registro.statoAllaTesta(da: nil, massimo: n - 1) == nil)
        let tutto = try #require(try t.registro.statoAllaTesta(da: nil, massimo: n))
        #expect(tutto.seq == n)
    }
}
