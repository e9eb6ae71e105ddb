/// `decidi` for the riaccertamento (eliminazioni, reimputazioni) and the closing (DOMAIN §4.8, §5, §9.2): each command's rules, in the words of its refusals.
extension Stato {
    func decidiResiduoElimina(_ n: NumeroImpegno, _ importo: Importo, _ motivo: Testo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let numero = n.testo
        let i = try impegno(numero)
        let anno = i.linea.esercizio
        if let chiusura = esercizi[anno]?.chiusoIl {
            guard data >= chiusura else {
                throw Rifiuto(regola: "4.8", "eliminazione del residuo \(numero): la data \(data) precede la chiusura dell'esercizio \(anno) (\(chiusura))")
            }
        } else {
            // The riaccertamento of the earliest open esercizio N, dated after 31/12/N (DOMAIN §9.2).
            guard data > DataContabile.fineEsercizio(anno) else {
                throw Rifiuto(regola: "4.8", "impegno \(numero): l'esercizio \(anno) è aperto, l'eliminazione è ammessa sui residui o nel riaccertamento dopo il 31/12/\(anno); nell'esercizio usa 'fondi impegno riduci'")
            }
            if let primo = primoAperto, primo < anno {
                throw Rifiuto(regola: "4.8", "eliminazione del residuo \(numero): il riaccertamento in corso è quello dell'esercizio \(primo); l'esercizio \(anno) si riaccerta dopo la chiusura del \(primo)")
            }
        }
        guard importo.centesimi <= i.daLiquidare else {
            throw Rifiuto(regola: "4.8", "eliminazione del residuo \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera il da liquidare (\(Rifiuto.eu(i.daLiquidare)))")
        }
        return [.residuoEliminato(impegno: numero, importo: importo, motivo: motivo.testo)]
    }

    func decidiChiudi(_ esercizio: Int, data: DataContabile, impronta: ([UInt8]) -> String) throws(Rifiuto) -> [Evento] {
        return try decidiChiusura(esercizio, data: data, impronta: impronta)
    }

    func decidiImpegnoReimputa(_ n: NumeroImpegno, _ importo: Importo, _ esercizio: Int, _ nuovo: NumeroImpegno, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let numero = n.testo
        let i = try impegno(numero)
        try Validazione.anno(esercizio, campo: "esercizio")
        // N: the esercizio whose riaccertamento is under way; with no open esercizio that has lines, the
        // one after the last closed (the impegno is then a residuo of a closed year).
        let n = primoAperto ?? ((ultimoChiuso ?? i.linea.esercizio - 1) + 1)
        guard i.linea.esercizio <= n else {
            throw Rifiuto(regola: "9.2", "reimputazione dell'impegno \(numero): l'impegno è dell'esercizio \(i.linea.esercizio), il riaccertamento in corso è quello del \(n)")
        }
        guard data > DataContabile.fineEsercizio(n) else {
            throw Rifiuto(regola: "9.2", "reimputazione dell'impegno \(numero): la data \(data) deve essere successiva al 31/12/\(n) (riaccertamento dell'esercizio \(n))")
        }
        guard esercizio > n, esercizio <= n + 3 else {
            throw Rifiuto(regola: "9.2", "reimputazione dell'impegno \(numero): esercizio \(esercizio) non ammesso, atteso tra \(n + 1) e \(n + 3)")
        }
        guard !chiuso(esercizio) else { throw Rifiuto(regola: "9.2", "reimputazione dell'impegno \(numero): l'esercizio \(esercizio) è chiuso") }
        guard impegni[nuovo.testo] == nil else {
            throw Rifiuto(regola: "9.2", "impegno \(nuovo.testo) già esistente: il numero non può essere riusato")
        }
        guard importo.centesimi <= i.daLiquidare else {
            throw Rifiuto(regola: "9.2", "reimputazione dell'impegno \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera il da liquidare (\(Rifiuto.eu(i.daLiquidare)))")
        }
        return [.impegnoReimputato(impegno: numero, importo: importo, esercizio: esercizio, numero: nuovo.testo)]
    }
}
