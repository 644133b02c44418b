complete --keep-order --exclusive --command scripto --arguments "(_SCRIPTO_COMPLETE=fish scripto -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
