
Register-ArgumentCompleter -Native -CommandName scripto -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $prev = $env:_SCRIPTO_COMPLETE;
    $env:_SCRIPTO_COMPLETE = "powershell";

    $args = $commandAst.Extent.Text
    $args = $args.Substring(0, [math]::Min($cursorPosition, $args.Length));
    if ($wordToComplete -eq "") {
        $args += " ''";
    }

    $results = Invoke-Expression @"
& scripto -- $args
"@;
    if ($null -eq $prev) {
        Remove-Item Env:\_SCRIPTO_COMPLETE;
    } else {
        $env:_SCRIPTO_COMPLETE = $prev;
    }
    $results | ForEach-Object {
        $split = $_.Split("`t");
        $cmd = $split[0];

        if ($split.Length -eq 2) {
            $help = $split[1];
        }
        else {
            $help = $split[0];
        }

        [System.Management.Automation.CompletionResult]::new($cmd, $cmd, 'ParameterValue', $help)
    }
};
        
