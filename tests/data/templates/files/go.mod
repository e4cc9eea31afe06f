module github.com/example/plugin-template

go 1.21
