
set edit:completion:arg-completer[scripto] = { |@words|
    var index = (count $words)
    set index = (- $index 1)

    put (env _CLAP_IFS="\n" _CLAP_COMPLETE_INDEX=(to-string $index) _SCRIPTO_COMPLETE="elvish" scripto -- $@words) | to-lines
}

