// Goal: a snapshot is a cache, never the truth: snapshot + tail equals a full replay at any cut point,
// deleting snapshots changes no answer, and a damaged snapshot is detected and ignored.
import Fondi
import FondiStore
import FondiTesting
import PropertyBased
import Testing

struct IstantaneeTests {
    @Test func istantaneaPiuCodaUgualeReplayCompleto() async {
        await propertyCheck(count: 15, input: Gen.int(in: 0...Int.max).array(of: 40...250), Gen.int(in: 0...10_000).array(of: 1...4)) { valori, tagli in
            do {
                let t = try RegistroTemporaneo()
                var istantanee: Set<Int> = []
                for (passo, v) in valori.enumerated() {
                    let (c, d) = GeneratoreComandi.comando(v, passo: passo)
                    // A refusal by a rule is expected of random commands; any other error is a failure.
                    do { try t.esegui(c, d.description, atto: "Atto") } catch is Rifiuto {}
                    if tagli.contains(where: { $0 % valori.count == passo }), try t.registro.testa().seq > 0 {
                        _ = try t.registro.creaIstantanea()
                        istantanee.insert(passo)
                    }
                }
                let ultimo = try t.registro.testa().seq
                guard ultimo > 0 else { return }
                for taglio in tagli.map({ Int64($0) % ultimo + 1 }) + [ultimo] {
                    let completo = try t.registro.ricostruisci(fino: taglio)
                    let archiviato = try t.registro.ricostruisci(fino: taglio, archivia: true)
                    let veloce = try t.registro.ricostruisciDaIstantanea(fino: taglio)
                    #expect(veloce.stato == archiviato, "fino a \(taglio)")
                    // Letting settled entities go changes neither the digest nor any report (ADR 0009).
                    #expect(Registro.digest(veloce.stato) == Registro.digest(completo))
                    #expect(Registro.digest(archiviato) == Registro.digest(completo))
                    #expect(archiviato.impegni.values.allSatisfy { $0.daLiquidare > 0 || $0.daPagare > 0 })
                    #expect(archiviato.mandati.isEmpty)
                    for s in [archiviato, veloce.stato] {
                        #expect(s.residui(filtri: Filtri()) == completo.residui(filtri: Filtri()))
                        #expect(s.prospetto(filtri: Filtri()) == completo.prospetto(filtri: Filtri()))
                        for per in Raggruppamento.allCases {
                            #expect(s.saldi(per: per, filtri: Filtri()) == completo.saldi(per: per, filtri: Filtri()))
                        }
                    }
                }
                #expect(try t.registro.verificaIstantanee().allSatisfy(\.integra))
                #expect(try t.registro.verifica().differenze.isEmpty)
                // Deleting every snapshot changes no answer.
                let prima = try t.registro.ricostruisciDaIstantanea(fino: ultimo)
                _ = sqlGrezzo(t.percorso, "DELETE FROM istantanea")
                let dopo = try t.registro.ricostruisciDaIstantanea(fino: ultimo)
                #expect(dopo.daSeq == nil)
                #expect(dopo.stato == prima.stato)
            } catch {
                Issue.record("errore inatteso: \(error)")
            }
        }
    }

    /// Every way an entity settles lets it go in an archiving replay, and nothing else changes: the digest,
    /// the reports, `verifica`; a stored row of a settled entity altered by hand is still found and named.
    @Test func entitaSaldateLasciateAndare() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        let lineaSAD = LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2023)
        // 2023/1: liquidated and paid in full over two liquidazioni; L1 settled by its payment, L3 annulled in full.
        try t.esegui(.liquida(numero: "L3", impegno: "2023/1", importo: .euro(5_000), documento: nil), "2023-07-01")
        try t.esegui(.liquidazioneAnnulla(liquidazione: "L3", importo: .euro(5_000), motivo: "errore"), "2023-07-02")
        try t.esegui(.liquida(numero: "L4", impegno: "2023/1", importo: .euro(40_000), documento: nil), "2023-07-03")
        try t.esegui(.paga(mandato: "M4", liquidazione: "L4", importo: .euro(40_000)), "2023-07-04", atto: nil)
        // 2023/3: reduced to nothing before any liquidazione.
        try t.esegui(.fonteIntegra(codice: "FNA-2023", importo: .euro(1_000)), "2023-07-05")
        try t.esegui(.programma(linea: lineaSAD, importo: .euro(1_000)), "2023-07-05")
        try t.esegui(.impegna(numero: "2023/3", linea: lineaSAD, importo: .euro(1_000), creditore: "C", oggetto: "O", cig: nil, cup: nil), "2023-07-05")
        try t.esegui(.impegnoRiduci(impegno: "2023/3", importo: .euro(1_000), motivo: "rinuncia"), "2023-07-06")
        // 2023/2: closed with 7.000 residui, then 7.000 eliminated: settled by the eliminazione.
        try t.esegui(.chiudi(esercizio: 2023), "2024-01-10")
        try t.esegui(.residuoElimina(impegno: "2023/2", importo: .euro(7_000), motivo: "non dovuto"), "2024-02-01")

        let completo = try t.registro.ricostruisci()
        let archiviato = try t.registro.ricostruisci(archivia: true)
        #expect(completo.impegni.count == 3 && completo.liquidazioni.count == 4 && completo.mandati.count == 3)
        #expect(archiviato.impegni.isEmpty && archiviato.liquidazioni.isEmpty && archiviato.mandati.isEmpty && archiviato.eliminazioni.isEmpty)
        #expect(archiviato.archiviati[TabellaStato.impegno.rawValue].conteggio == 3)
        #expect(archiviato.archiviati[TabellaStato.liquidazione.rawValue].conteggio == 4)
        #expect(archiviato.archiviati[TabellaStato.mandato.rawValue].conteggio == 3)
        #expect(archiviato.archiviati[TabellaStato.eliminazione.rawValue].conteggio == 1)
        #expect(archiviato.linee == completo.linee && archiviato.fonti == completo.fonti)
        #expect(Registro.digest(archiviato) == Registro.digest(completo))
        #expect(Registro.digest(archiviato) == Registro.digest(try t.registro.statoMemorizzato()))
        #expect(try t.registro.verifica().differenze.isEmpty)
        let istantanea = try t.registro.creaIstantanea()
        #expect(istantanea.digest == Registro.digest(completo))
        #expect(try t.registro.replay(fino: nil).differenze.isEmpty)
        // Settled and let go, but still compared: an edited mandato row is named.
        _ = sqlGrezzo(t.percorso, "UPDATE mandato SET importo_centesimi = importo_centesimi - 1 WHERE numero = 'M4'")
        #expect(try t.registro.verifica().differenze == ["mandato M4: proiezione diversa dalla ricostruzione dagli eventi"])
        #expect(try t.registro.replay(fino: nil).differenze == ["mandato M4: proiezione diversa dalla ricostruzione dagli eventi"])
        // A settled row deleted from the projections is missing from the stored fingerprints.
        _ = sqlGrezzo(t.percorso, "UPDATE mandato SET importo_centesimi = importo_centesimi + 1 WHERE numero = 'M4'")
        _ = sqlGrezzo(t.percorso, "DELETE FROM eliminazione")
        #expect(try t.registro.verifica().differenze == ["eliminazioni dell'impegno 2023/2: presente negli eventi ma assente nelle proiezioni"])
    }

    @Test func codificaCanonicaRoundTrip() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        try t.esegui(.chiudi(esercizio: 2023), "2024-03-01")
        try t.esegui(.residuoElimina(impegno: "2023/2", importo: .euro(10), motivo: "m"), "2024-04-01")
        let stato = try t.registro.statoMemorizzato()
        let byte = stato.codificato
        #expect(Stato(codificato: byte) == stato)
        #expect(Stato(codificato: Array(byte.dropLast())) == nil)
        #expect(Stato(codificato: byte + [0]) == nil)
        var altro = byte
        altro[0] = 9
        #expect(Stato(codificato: altro) == nil)
    }

    @Test func istantaneaDanneggiataIgnorataConAvviso() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        let prima = try t.registro.creaIstantanea()
        #expect(prima.seq == 11)
        try t.esegui(.liquida(numero: "L3", impegno: "2023/2", importo: .euro(1), documento: nil), "2023-07-01")
        let sana = try t.registro.ricostruisciDaIstantanea()
        #expect(sana.daSeq == 11)
        #expect(sana.eventi == 1)
        // A digest that does not name the stored state, then bytes that no longer decode.
        _ = sqlGrezzo(t.percorso, "UPDATE istantanea SET digest = zeroblob(32)")
        var avvisi: [String] = []
        var r = try t.registro.ricostruisciDaIstantanea(avviso: { avvisi.append($0) })
        #expect(r.daSeq == nil)
        #expect(r.stato == sana.stato)
        #expect(avvisi == ["attenzione: istantanea al seq 11 ignorata (istantanea danneggiata: digest diverso); si ricostruisce dagli eventi"])
        _ = sqlGrezzo(t.percorso, "UPDATE istantanea SET dati = substr(dati, 2)")
        avvisi = []
        r = try t.registro.ricostruisciDaIstantanea(avviso: { avvisi.append($0) })
        #expect(r.daSeq == nil)
        #expect(avvisi == ["attenzione: istantanea al seq 11 ignorata (istantanea illeggibile); si ricostruisce dagli eventi"])
        #expect(try t.registro.istantanee().map(\.integra) == [false])
        #expect(try t.registro.verificaIstantanee().map(\.integra) == [false])
        #expect(try t.registro.verifica().differenze == ["istantanea al seq 11: istantanea danneggiata o illeggibile"])
        // A snapshot whose digest was recomputed over altered content is still caught by the full replay.
        _ = sqlGrezzo(t.percorso, "DELETE FROM istantanea")
        _ = try t.registro.creaIstantanea()
        _ = sqlGrezzo(t.percorso, "UPDATE fonte SET assegnato_centesimi = assegnato_centesimi + 1")
        #expect(throws: ErroreIntegrita.self) { try t.registro.creaIstantanea() }
    }

    @Test func replayTrovaUnEventoAlteratoNelFile() throws {
        let t = try RegistroTemporaneo()
        try preparaEsempio(t)
        _ = try t.registro.creaIstantanea()
        try t.esegui(.liquida(numero: "L3", impegno: "2023/2", importo: .euro(1), documento: nil), "2023-07-01")
        _ = sqlGrezzo(t.percorso, "DROP TRIGGER evento_append_only_update")
        _ = sqlGrezzo(t.percorso, "UPDATE evento SET data = '2023-07-02' WHERE seq = 12")
        do {
            _ = try t.registro.ricostruisciDaIstantanea()
            Issue.record("alterazione non trovata")
        } catch let e as ErroreIntegrita {
            #expect(e.seq == 12)
        }
        // Before the snapshot, the fast path trusts the snapshot; the full checks find the edit.
        _ = sqlGrezzo(t.percorso, "UPDATE evento SET atto = 'Altro' WHERE seq = 3")
        do {
            _ = try t.registro.verifica()
            Issue.record("alterazione non trovata")
        } catch let e as ErroreIntegrita {
            #expect(e.seq == 3)
        }
        #expect(throws: ErroreIntegrita.self) { try t.registro.verificaIstantanee() }
    }
}
