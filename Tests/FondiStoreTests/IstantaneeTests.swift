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
                    _ = try? t.esegui(c, d.description, atto: "Atto")
                    if tagli.contains(where: { $0 % valori.count == passo }), try t.registro.testa().seq > 0 {
                        _ = try t.registro.creaIstantanea()
                        istantanee.insert(passo)
                    }
                }
                let ultimo = try t.registro.testa().seq
                guard ultimo > 0 else { return }
                for taglio in tagli.map({ Int64($0) % ultimo + 1 }) + [ultimo] {
                    let completo = try t.registro.ricostruisci(fino: taglio)
                    let veloce = try t.registro.ricostruisciDaIstantanea(fino: taglio)
                    #expect(veloce.stato == completo, "fino a \(taglio)")
                    #expect(Registro.digest(veloce.stato) == Registro.digest(completo))
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
        _ = sqlGrezzo(t.percorso, "UPDATE istantanea SET dati = substr(dati, 2)")
        var avvisi: [String] = []
        let r = try t.registro.ricostruisciDaIstantanea(avviso: { avvisi.append($0) })
        #expect(r.daSeq == nil)
        #expect(r.stato == sana.stato)
        #expect(avvisi == ["attenzione: istantanea al seq 11 ignorata (istantanea danneggiata: digest diverso); si ricostruisce dagli eventi"])
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
