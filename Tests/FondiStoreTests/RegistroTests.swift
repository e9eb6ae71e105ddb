// Goal: the SQLite store appends exactly what the domain decides, refuses without writing, is append-only by
// the database itself, keeps its projections equal to a replay, and detects any edit of the file.
import Fondi
import FondiStore
import FondiTesting
import PropertyBased
import Testing

struct RegistroTests {
    @Test func esempioDiChiusuraNelloStore() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        let eventi = try t.esegui(.chiudi(esercizio: 2023), "2024-03-01", atto: "Det. chiusura")
        #expect(eventi.map(\.evento.tipo) == ["ResiduoRiportato", "ResiduoRiportato", "EconomiaRilevata", "EsercizioChiuso"])
        let stato = try t.registro.statoMemorizzato()
        #expect(stato.fonti["FNA-2023"]?.libero == 800_000)
        #expect(try t.registro.verifica().differenze.isEmpty)
        // The chain hash printed at the closing is proven by --digest.
        let digest = try #require(Catena.byteDaEsadecimale(eventi.last!.hash))
        #expect(try t.registro.verifica(digest: digest).digestSeq == eventi.last!.seq)
        #expect(try t.registro.verifica(digest: [UInt8](repeating: 7, count: 32)).digestSeq == nil)
    }

    @Test func unRifiutoNonScriveNulla() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        let prima = try t.fotografia()
        let rifiutati: [Comando] = [
            .impegna(numero: "2023/3", linea: lineaCONTR, importo: .c(800_001), creditore: "C", oggetto: "O", cig: nil, cup: nil),
            .impegna(numero: "2023/1", linea: lineaCONTR, importo: .euro(1), creditore: "C", oggetto: "O", cig: nil, cup: nil),
            .liquida(numero: "L3", impegno: "2023/2", importo: .c(700_001), documento: nil),
            .paga(mandato: "M3", liquidazione: "L1", importo: .euro(1)),
            .programma(linea: lineaSAD, importo: .euro(1)),
            .fonteRiduci(codice: "FNA-2023", importo: .euro(1)),
            .liquida(numero: "L9", impegno: "NON-ESISTE", importo: .euro(1), documento: nil),
            .residuoElimina(impegno: "2023/2", importo: .euro(1), motivo: "m"),
            .chiudi(esercizio: 2023),
        ]
        for c in rifiutati {
            #expect(throws: Rifiuto.self, "\(c)") { try t.esegui(c, "2023-07-01") }
            let dopo = try t.fotografia()
            #expect(dopo.0 == prima.0 && dopo.1 == prima.1 && dopo.2 == prima.2, "\(c) ha scritto qualcosa")
        }
    }

    @Test func importazioneTuttoONiente() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        let prima = try t.fotografia()
        let ctx = Contesto(data: DataContabile("2023-07-01"), atto: "A", utente: "u", chiave: nil)
        let passi = [
            Passo(comando: .liquida(numero: "L3", impegno: "2023/2", importo: .euro(1), documento: nil), contesto: ctx, riga: 1),
            Passo(comando: .paga(mandato: "M3", liquidazione: "L3", importo: .euro(1)), contesto: ctx, riga: 2),
            Passo(comando: .paga(mandato: "M4", liquidazione: "L3", importo: .euro(1)), contesto: ctx, riga: 3),
        ]
        #expect(throws: RifiutoRiga(riga: 3, messaggio: "mandato M4: importo 1,00 supera il liquidato non pagato della liquidazione L3 (0,00)")) {
            try t.registro.registra(passi)
        }
        let dopo = try t.fotografia()
        #expect(dopo.0 == prima.0 && dopo.1 == prima.1 && dopo.2 == prima.2)
        let ok = try t.registro.registra(Array(passi.prefix(2)))
        #expect(ok.flatMap(\.eventi).map(\.seq) == [prima.0 + 1, prima.0 + 2])
    }

    @Test func unGuastoDuranteLaChiusuraNonLasciaRiportiParziali() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        let prima = try t.fotografia()
        struct Guasto: Error {}
        let passo = Passo(comando: .chiudi(esercizio: 2023), contesto: Contesto(data: DataContabile("2024-03-01"), atto: "A", utente: "u", chiave: nil))
        #expect(throws: Guasto.self) {
            try t.registro.registra([passo], guasto: { seq in if seq == prima.0 + 2 { throw Guasto() } })
        }
        let dopo = try t.fotografia()
        #expect(dopo.0 == prima.0 && dopo.1 == prima.1 && dopo.2 == prima.2)
        #expect(try t.registro.registra([passo]).flatMap(\.eventi).count == 4)
    }

    @Test func provaNonScriveENonConsumaLaChiave() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        let prima = try t.fotografia()
        let passo = Passo(comando: .chiudi(esercizio: 2023), contesto: Contesto(data: DataContabile("2024-03-01"), atto: "A", utente: "u", chiave: "k"))
        let piano = try t.registro.registra([passo], prova: true)
        #expect(piano.flatMap(\.eventi).count == 4)
        let dopo = try t.fotografia()
        #expect(dopo.0 == prima.0 && dopo.1 == prima.1 && dopo.2 == prima.2)
        #expect(try t.registro.registra([passo]).first?.ripetuto == false)
    }

    @Test func chiaveDiIdempotenza() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        let c = Comando.liquida(numero: "L3", impegno: "2023/2", importo: .euro(100), documento: nil)
        let primo = try t.esegui(c, "2023-07-01", chiave: "liq-3")
        let prima = try t.fotografia()
        let esito = try t.registro.registra([Passo(comando: c, contesto: Contesto(data: DataContabile("2023-07-01"), atto: "Atto", utente: "altro", chiave: "liq-3"))])
        #expect(esito.first?.ripetuto == true)
        #expect(esito.first?.eventi == primo)
        let dopo = try t.fotografia()
        #expect(dopo.0 == prima.0 && dopo.1 == prima.1)
        let diverso = Comando.liquida(numero: "L3", impegno: "2023/2", importo: .euro(101), documento: nil)
        #expect(throws: Rifiuto.self) { try t.esegui(diverso, "2023-07-01", chiave: "liq-3") }
        // Same values but another date: different content, refused.
        #expect(throws: Rifiuto.self) { try t.esegui(c, "2023-07-02", chiave: "liq-3") }
    }

    @Test func soloAggiuntePerIlDatabaseStesso() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        let update = sqlGrezzo(t.percorso, "UPDATE evento SET payload = '{}' WHERE seq = 3")
        #expect(update.messaggio.contains("append-only"))
        let delete = sqlGrezzo(t.percorso, "DELETE FROM evento WHERE seq = 11")
        #expect(delete.messaggio.contains("append-only"))
        let buco = sqlGrezzo(t.percorso, "INSERT INTO evento VALUES (20, 'X', 1, '2023-01-01', 'x', 'u', NULL, NULL, '{}', zeroblob(32))")
        #expect(buco.messaggio.contains("seq non contiguo"))
        let sovraimpegno = sqlGrezzo(t.percorso, "UPDATE linea SET impegnato_centesimi = programmato_centesimi + 1")
        #expect(sovraimpegno.messaggio.lowercased().contains("check"))
        #expect(try t.registro.verifica().differenze.isEmpty)
    }

    @Test func verificaTrovaIlPrimoEventoAlterato() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        // A tamperer who drops the triggers and edits an amount breaks the chain at that seq.
        _ = sqlGrezzo(t.percorso, "DROP TRIGGER evento_append_only_update")
        let r = sqlGrezzo(t.percorso, "UPDATE evento SET payload = replace(payload, '6000000', '6100000') WHERE seq = 6")
        #expect(r.codice == 0)
        #expect(throws: ErroreIntegrita.self) { try t.registro.verifica() }
        do { _ = try t.registro.verifica() } catch let e as ErroreIntegrita { #expect(e.seq == 6) }
    }

    @Test func verificaTrovaProiezioniAlterate() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        _ = sqlGrezzo(t.percorso, "UPDATE impegno SET pagato_centesimi = 0 WHERE numero = '2023/2'")
        let r = try t.registro.verifica()
        #expect(r.differenze.contains("impegno 2023/2: proiezione diversa dalla ricostruzione dagli eventi"))
    }

    @Test(.enabled(if: !MotoreProva.postgres, "aprire un file: solo SQLite")) func lApertureRifiutaFileNonValidi() throws {
        #expect(throws: Registro.ErroreApertura.assente("/tmp/non/esiste.sqlite")) { try Registro.apri(percorso: "/tmp/non/esiste.sqlite") }
        let t = try RegistroTemporaneo()
        _ = sqlGrezzo(t.cartella + "/copia.sqlite", "CREATE TABLE altro (x)")
        #expect(throws: Registro.ErroreApertura.nonRegistro(t.cartella + "/copia.sqlite")) { try Registro.apri(percorso: t.cartella + "/copia.sqlite") }
        #expect(throws: Registro.ErroreApertura.self) { try Registro.inizializza(percorso: t.cartella + "/copia.sqlite") }
        // init on an existing ledger changes nothing.
        try preparaEsempio(t)
        let prima = try t.fotografia()
        let (_, creato) = try Registro.inizializza(percorso: t.percorso)
        #expect(!creato)
        let dopo = try t.fotografia()
        #expect(dopo.0 == prima.0 && dopo.1 == prima.1 && dopo.2 == prima.2)
    }
}

/// Random histories through SQLite equal the in-memory reference, step by step.
struct RegistroProprietaTests {
    @Test func loStoreEIlModelloConcordano() async {
        await propertyCheck(count: 25, input: Gen.int(in: 0...Int.max).array(of: 20...250)) { valori in
            do {
                let t = try RegistroTemporaneo()
                var modello = RegistroInMemoria(impronta: Catena.impronta)
                var fotografie: [(seq: Int64, stato: Stato)] = []
                for (passo, v) in valori.enumerated() {
                    if passo % 17 == 0 { fotografie.append((try t.registro.testa().seq, try t.registro.statoMemorizzato())) }
                    let (c, d) = GeneratoreComandi.comando(v, passo: passo)
                    let atteso: [Evento]?
                    do { atteso = try modello.esegui(c, data: d, atto: "Atto") } catch { atteso = nil }
                    let ottenuto: [Evento]?
                    do { ottenuto = try t.esegui(c, d.description, atto: "Atto").map(\.evento) } catch is Rifiuto { ottenuto = nil }
                    #expect(ottenuto == atteso, "passo \(passo): \(c)")
                }
                #expect(try t.registro.statoMemorizzato() == modello.stato)
                let verifica = try t.registro.verifica()
                #expect(verifica.differenze.isEmpty, "\(verifica.differenze)")
                #expect(verifica.eventi == Int64(modello.eventi.count))
                // --fino-a S asked after more appends answers what the ledger said at S.
                for f in fotografie where f.seq > 0 {
                    #expect(try t.registro.ricostruisci(fino: f.seq) == f.stato, "fino a \(f.seq)")
                }
            } catch {
                Issue.record("errore inatteso: \(error)")
            }
        }
    }
}
